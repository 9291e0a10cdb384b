# With Terraform 1.12 and later (and OpenTofu 1.12), by resource identity:
import {
  to = oxen_model_activation.support_bot
  identity = {
    model_id = "support-bot-ft"
  }
}
