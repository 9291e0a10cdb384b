# Provider functions need Terraform 1.8+ or OpenTofu 1.7+, and the provider
# declared in required_providers.
terraform {
  required_providers {
    oxen = {
      source = "oxen-ai/oxen"
    }
  }
}

data "oxen_model" "chat" {
  id = "claude-sonnet-4-6" # token pricing: 3e-06 per input token, 1.5e-05 per output token
}

data "oxen_model" "images" {
  id = "gpt-image-1" # per_image pricing, by quality and resolution only
}

data "oxen_model" "video" {
  id = "wan-2-2-text-to-video" # a flat 0.08 per second of video, and a rate by resolution
}

locals {
  # A month of expected traffic.
  chat_usage = {
    input_tokens  = 40000000 # 40 M tokens in
    output_tokens = 8000000  #  8 M tokens out
  }
  image_usage = {
    images     = 2000
    quality    = "medium" # required: this model has no flat price
    resolution = "1K"
  }
  # No resolution: the flat price applies, as it would for an image model
  # that has a cost_per_image beside its grid.
  video_usage = {
    video_seconds = 600
  }

  monthly_cost = {
    chat   = provider::oxen::estimate_cost(data.oxen_model.chat.pricing, local.chat_usage)    # 120 + 120 = 240
    images = provider::oxen::estimate_cost(data.oxen_model.images.pricing, local.image_usage) # 2000 × 0.042 = 84
    video  = provider::oxen::estimate_cost(data.oxen_model.video.pricing, local.video_usage)  # 600 × 0.08 = 48
  }
}

output "monthly_cost_usd" {
  value = local.monthly_cost
}

output "monthly_budget_usd" {
  value = sum(values(local.monthly_cost)) # 372
}
