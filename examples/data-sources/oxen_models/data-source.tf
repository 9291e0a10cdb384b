# Every model of one developer (case-insensitive).
data "oxen_models" "anthropic" {
  developer_name = "Anthropic"
}

output "anthropic_model_ids" {
  value = data.oxen_models.anthropic.ids
}

# Search by name, then narrow down on the provider's side.
data "oxen_models" "kling_video" {
  search          = "kling"
  output_modality = "video"
}

# Every model that can be fine-tuned for image editing.
data "oxen_models" "image_edit" {
  action = "image_edit"
}

# The cheapest video model per output second, across the catalog.
data "oxen_models" "video" {
  endpoint = "/videos/generate"
}

locals {
  video_rates = {
    for m in data.oxen_models.video.models : m.id => m.pricing.cost_per_second
    if m.pricing.cost_per_second != null
  }
}

output "cheapest_video_model" {
  value = [for id, rate in local.video_rates : id if rate == min(values(local.video_rates)...)][0]
}

# The team's own fine-tuned models and their deployment status. Filters
# ignore case; a value that matches no listed model (a typo such as
# "/image/generate") gives a warning that names the values the catalog has,
# rather than an empty list nobody notices.
data "oxen_models" "custom" {
  model_type = "custom"
}

output "custom_model_status" {
  value = { for m in data.oxen_models.custom.models : m.id => m.status }
}
