# Provider functions need Terraform 1.8+ or OpenTofu 1.7+; `make demo` adds
# this file to the configuration only when the CLI can read it.

output "sonnet_cost_of_a_month" {
  description = "What 10 million input and 2 million output tokens cost on claude-sonnet-4-6."
  value = provider::oxen::estimate_cost(data.oxen_model.sonnet.pricing, {
    input_tokens  = 10000000
    output_tokens = 2000000
  })
}
