# The demo of `make demo`: real lookups against the Oxen API (the simulator on
# loopback during the demo, https://hub.oxen.ai otherwise) and one activation.

terraform {
  required_providers {
    oxen = {
      source = "oxen-ai/oxen"
    }
  }
}

# api_key and base_url come from OXEN_API_KEY and OXEN_BASE_URL.
provider "oxen" {}

data "oxen_models" "anthropic" {
  developer_name = "Anthropic"
}

data "oxen_models" "video" {
  model_type      = "base"
  output_modality = "video"
}

data "oxen_model" "sonnet" {
  id = "claude-sonnet-4-6"
}

# Image and video models describe their parameters in a request schema.
data "oxen_model" "flux" {
  id = "flux-2-pro"
}

resource "oxen_model_activation" "demo" {
  model_id = "my-custom-model"
}

output "anthropic_model_ids" {
  description = "Ids of the models that Anthropic develops."
  value       = data.oxen_models.anthropic.ids
}

output "video_model_ids" {
  description = "Ids of the base models that produce video."
  value       = data.oxen_models.video.ids
}

output "sonnet_pricing" {
  description = "What claude-sonnet-4-6 costs per token."
  value = {
    method                = data.oxen_model.sonnet.pricing.method
    input_cost_per_token  = data.oxen_model.sonnet.pricing.input_cost_per_token
    output_cost_per_token = data.oxen_model.sonnet.pricing.output_cost_per_token
  }
}

output "flux_request_schema" {
  description = "The request schema of flux-2-pro (its parameters), decoded."
  value = (
    data.oxen_model.flux.request_schema == null
    ? null
    : jsondecode(data.oxen_model.flux.request_schema)
  )
}

output "activation_status" {
  description = "The deployment status of my-custom-model after apply."
  value       = oxen_model_activation.demo.status
}
