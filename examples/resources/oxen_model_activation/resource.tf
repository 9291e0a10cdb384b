# Keep a fine-tuned model deployed. Apply waits until it is really active.
resource "oxen_model_activation" "support_bot" {
  model_id = "support-bot-ft"

  timeouts {
    create = "20m"
  }
}

# Keep a model stopped so it is not billed, but leave it running if this
# resource is ever removed from the configuration.
resource "oxen_model_activation" "nightly_eval" {
  model_id              = "vision-tagger-ft"
  active                = false
  deactivate_on_destroy = false
}

# Turn a deployment on only in production.
variable "environment" {
  type    = string
  default = "staging"
}

resource "oxen_model_activation" "product_shots" {
  model_id = "product-shots-lora"
  active   = var.environment == "production"
}

output "support_bot_status" {
  value = oxen_model_activation.support_bot.status
}
