// Builds OpenTofu 1.12.6 from the Go module proxy. `go install` refuses
// OpenTofu because its go.mod replaces hcl/v2 by OpenTofu's fork; this module
// repeats that replace so that `go build github.com/opentofu/opentofu/cmd/tofu`
// works from here.
module github.com/oxen-ai/terraform-provider-oxen/tools/opentofu/1.12.6

go 1.26.8

require github.com/opentofu/opentofu v1.12.6

replace github.com/hashicorp/hcl/v2 v2.20.1 => github.com/opentofu/hcl/v2 v2.20.2-0.20251021132045-587d123c2828

tool github.com/opentofu/opentofu/cmd/tofu
