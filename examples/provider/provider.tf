terraform {
  required_providers {
    oxen = {
      source = "oxen-ai/oxen"
    }
  }
}

# Ephemeral (Terraform 1.10+, OpenTofu 1.11+): the key is kept out of saved
# plans and state. Give it at plan and at apply, for example as
# TF_VAR_oxen_api_key. Or leave api_key out and export OXEN_API_KEY.
variable "oxen_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

# Every setting is optional.
provider "oxen" {
  api_key = var.oxen_api_key # or OXEN_API_KEY
  # base_url      = "https://hub.oxen.ai" # or OXEN_BASE_URL
  request_timeout = "60s" # one HTTP attempt
  max_retries     = 5     # 429, 5xx and network errors, with backoff and Retry-After
  poll_interval   = "10s" # the longest pause between two status polls while waiting
}
