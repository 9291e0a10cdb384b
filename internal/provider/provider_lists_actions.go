package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
)

// List resources and actions need Terraform 1.14+; older CLIs and OpenTofu
// never ask for them.
var (
	_ provider.ProviderWithListResources = &OxenProvider{}
	_ provider.ProviderWithActions       = &OxenProvider{}
)

func (p *OxenProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewModelActivationListResource}
}

func (p *OxenProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{NewModelActivateAction, NewModelDeactivateAction}
}
