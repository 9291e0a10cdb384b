# Or, with Terraform 1.5 and later, declaratively:
import {
  to = oxen_model_activation.support_bot
  id = "support-bot-ft"
}
