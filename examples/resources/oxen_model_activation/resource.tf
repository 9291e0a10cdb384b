# Keep a fine-tuned model deployed. Apply waits until it is really active.
resource "oxen_model_activation" "support_bot" {
  model_id = "support-bot-ft"

  timeouts {
    create = "20m"
  }
}

# Keep a model stopped so it is not billed.
resource "oxen_model_activation" "nightly_eval" {
  model_id = "vision-tagger-ft"
  active   = false
}

# Keep a model deployed, and leave it serving when this resource is removed
# from the configuration or destroyed (for example when another
# configuration takes it over): destroy then only forgets it.
resource "oxen_model_activation" "catalog_writer" {
  model_id              = "catalog-writer-ft"
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
