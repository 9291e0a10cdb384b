# Start a deployment whenever the service that needs it is created or
# changes. The action waits until the model is active, and sends activate
# only when the deployment is not already active or deploying.
action "oxen_model_activate" "support_bot" {
  config {
    model_id = "support-bot-ft"
    timeout  = "20m" # optional, default 30m
  }
}

variable "support_service_version" {
  type    = string
  default = "1.0.0"
}

resource "terraform_data" "support_service" {
  input = var.support_service_version

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.oxen_model_activate.support_bot]
    }
  }
}

# The same action can be invoked on its own:
#   terraform apply -invoke=action.oxen_model_activate.support_bot
