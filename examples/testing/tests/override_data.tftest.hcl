# The real provider, with its look-ups and the activation overridden: plan
# and apply reach no API. Each run sets the price it is about (OpenTofu warns
# when a run overrides what the file overrides too), and sets it whole, every
# attribute named and the prices that do not apply null, as OpenTofu requires.
provider "oxen" {
  api_key = "not-used-every-call-is-overridden"
}

override_data {
  target = data.oxen_models.anthropic
  values = {
    ids = ["claude-haiku-4-5", "claude-sonnet-4-6"]
  }
}

override_resource {
  target = oxen_model_activation.support_bot
  values = {
    status = "active"
  }
}

run "cheap_model" {
  override_data {
    target = data.oxen_model.chat
    values = {
      pricing = {
        method                        = "token"
        input_cost_per_token          = 0.000001
        output_cost_per_token         = 0.000005
        cost_per_second               = null
        cost_per_image                = null
        cost_per_second_high_res      = null
        cost_per_second_with_audio    = null
        cost_per_image_grid           = null
        cost_per_second_by_resolution = null
      }
    }
  }

  assert {
    condition     = abs(output.monthly_cost - 600) < 0.000001
    error_message = "A month should cost 600 USD, not ${output.monthly_cost}."
  }

  assert {
    condition     = output.support_bot_status == "active"
    error_message = "The support bot should be active after apply."
  }
}

run "price_rise_breaks_the_budget" {
  command = plan

  override_data {
    target = data.oxen_model.chat
    values = {
      pricing = {
        method                        = "token"
        input_cost_per_token          = 0.000015
        output_cost_per_token         = 0.000075
        cost_per_second               = null
        cost_per_image                = null
        cost_per_second_high_res      = null
        cost_per_second_with_audio    = null
        cost_per_image_grid           = null
        cost_per_second_by_resolution = null
      }
    }
  }

  expect_failures = [output.monthly_cost]
}

run "time_priced_model_is_refused" {
  command = plan

  override_data {
    target = data.oxen_model.chat
    values = {
      pricing = {
        method                        = "time"
        input_cost_per_token          = null
        output_cost_per_token         = null
        cost_per_second               = 0.001
        cost_per_image                = null
        cost_per_second_high_res      = null
        cost_per_second_with_audio    = null
        cost_per_image_grid           = null
        cost_per_second_by_resolution = null
      }
    }
  }

  expect_failures = [output.monthly_cost]
}
