# Look up one model by name (or UUID).
data "oxen_model" "sonnet" {
  id = "claude-sonnet-4-6"
}

output "sonnet_endpoint" {
  value = data.oxen_model.sonnet.endpoint # "/chat/completions"
}

output "sonnet_price_per_million_input_tokens" {
  value = data.oxen_model.sonnet.pricing.input_cost_per_token * 1000000
}

# The request parameters a model accepts, as a JSON Schema. Models without
# one (most chat models) have a null request_schema, which jsondecode refuses.
data "oxen_model" "image" {
  id = "gpt-image-1"
}

output "image_qualities" {
  value = (
    data.oxen_model.image.request_schema == null
    ? null
    : jsondecode(data.oxen_model.image.request_schema).properties.quality.enum
  )
}

# A custom model's current deployment status, refreshed from the serving backend.
data "oxen_model" "support_bot" {
  id          = "support-bot-ft"
  live_status = true
}

output "support_bot_status" {
  value = data.oxen_model.support_bot.status # "active", "inactive", ...
}

# A field this provider does not type yet is still reachable.
output "sonnet_raw_owner" {
  value = jsondecode(data.oxen_model.sonnet.raw_json).owned_by
}
