terraform {
  required_providers {
    oxen = {
      source = "oxen-ai/oxen"
    }
  }
}

# Every setting is optional. The key is best left to the OXEN_API_KEY
# environment variable, so it never sits in a file.
provider "oxen" {
  # api_key       = var.oxen_api_key # or OXEN_API_KEY
  # base_url      = "https://hub.oxen.ai" # or OXEN_BASE_URL
  request_timeout = "60s" # one HTTP attempt
  max_retries     = 5     # 429, 5xx and network errors, with backoff and Retry-After
  poll_interval   = "10s" # the longest pause between two status polls while waiting
}
