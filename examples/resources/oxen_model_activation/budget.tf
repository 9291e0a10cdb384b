# Budget a fleet of deployments before anything is applied: cost_per_hour is
# known in the plan (0 for a deployment planned inactive, null for a model
# that is not billed by time), so a check block can price the whole fleet.
variable "deployments" {
  description = "Custom models to keep deployed."
  type        = map(string)
  default = {
    support_bot = "support-bot-ft"
    tagger      = "vision-tagger-ft"
  }
}

variable "hourly_budget" {
  description = "The most the deployments may cost per hour, in the currency of the hub's prices."
  type        = number
  default     = 10
}

resource "oxen_model_activation" "fleet" {
  for_each = var.deployments
  model_id = each.value
}

locals {
  fleet_cost_per_hour = sum(concat([0], [for a in oxen_model_activation.fleet : coalesce(a.cost_per_hour, 0)]))
}

# A failed check is reported in the plan and after apply; to stop the plan
# instead, put the same condition in an output's precondition.
check "hourly_budget" {
  assert {
    condition     = local.fleet_cost_per_hour <= var.hourly_budget
    error_message = "The deployments would cost ${local.fleet_cost_per_hour} per hour, over the budget of ${var.hourly_budget}."
  }
}

output "fleet_cost_per_hour" {
  value = local.fleet_cost_per_hour
}
