# A configuration with look-ups and an activation, and the tests that check
# it without an Oxen account: `terraform test` (Terraform 1.7+) or `tofu test`
# (OpenTofu 1.8+) runs tests/*.tftest.hcl against a mocked provider or with
# overridden look-ups.

terraform {
  required_providers {
    oxen = {
      source = "oxen-ai/oxen"
    }
  }
}

provider "oxen" {}

variable "chat_model" {
  description = "The model the support bot's traffic goes to."
  type        = string
  default     = "claude-sonnet-4-6"
}

variable "support_bot_model" {
  description = "The custom model to keep deployed."
  type        = string
  default     = "my-custom-model"
}

variable "monthly_tokens" {
  description = "Expected tokens a month."
  type        = object({ input = number, output = number })
  default     = { input = 300000000, output = 60000000 }
}

variable "monthly_budget_usd" {
  description = "The most a month of chat traffic may cost."
  type        = number
  default     = 2000
}

data "oxen_models" "anthropic" {
  developer_name = "Anthropic"
}

data "oxen_model" "chat" {
  id = var.chat_model
}

locals {
  monthly_cost = (
    # Null for models that are not priced per token.
    coalesce(data.oxen_model.chat.pricing.input_cost_per_token, 0) * var.monthly_tokens.input +
    coalesce(data.oxen_model.chat.pricing.output_cost_per_token, 0) * var.monthly_tokens.output
  )
}

resource "oxen_model_activation" "support_bot" {
  model_id = var.support_bot_model

  lifecycle {
    precondition {
      condition     = contains(data.oxen_models.anthropic.ids, var.chat_model)
      error_message = "${var.chat_model} is not an Anthropic model on Oxen."
    }
  }
}

output "monthly_cost" {
  description = "What a month of chat traffic costs, in USD."
  value       = local.monthly_cost

  precondition {
    condition     = data.oxen_model.chat.pricing.method == "token" && local.monthly_cost <= var.monthly_budget_usd
    error_message = "A month of traffic on ${var.chat_model} costs more than the budget of ${var.monthly_budget_usd} USD."
  }
}

output "support_bot_status" {
  description = "The deployment status after apply."
  value       = oxen_model_activation.support_bot.status
}
