// Command terraform-provider-oxen serves the Oxen provider to Terraform and OpenTofu.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/oxen-ai/terraform-provider-oxen/internal/provider"
)

// Run the docs generation tool; see GNUmakefile's docs target for the
// Terraform CLI it needs on PATH.
//go:generate go tool tfplugindocs generate --provider-name oxen

// version is set by goreleaser at release time.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/oxen-ai/oxen",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
