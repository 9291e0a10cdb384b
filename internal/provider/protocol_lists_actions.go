package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// terraform-plugin-go finds list resources and actions on a server by
// asserting optional interfaces that tfprotov6.ProviderServer does not
// include yet. The catalogServer embeds the framework's server as a plain
// ProviderServer, so without these methods it would answer "not
// implemented" to every list and action RPC; they hand them on.
var (
	_ tfprotov6.ProviderServerWithListResource = (*catalogServer)(nil)
	_ tfprotov6.ProviderServerWithActions      = (*catalogServer)(nil)
)

// listsAndActions is what the framework's server serves beyond a
// tfprotov6.ProviderServer.
type listsAndActions interface {
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
}

// framework is the framework's server, which always serves lists and
// actions (TestProtocolServerServesListsAndActions).
func (s *catalogServer) framework() listsAndActions {
	f, _ := s.ProviderServer.(listsAndActions)
	return f
}

func (s *catalogServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return s.framework().ValidateListResourceConfig(ctx, req)
}

func (s *catalogServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return s.framework().ListResource(ctx, req)
}

func (s *catalogServer) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	return s.framework().ValidateActionConfig(ctx, req)
}

func (s *catalogServer) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	return s.framework().PlanAction(ctx, req)
}

func (s *catalogServer) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	return s.framework().InvokeAction(ctx, req)
}
