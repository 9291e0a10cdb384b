// Command terraform-provider-oxen serves the Oxen provider to Terraform and OpenTofu.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/oxen-ai/terraform-provider-oxen/internal/provider"
)

// version is set by goreleaser at release time.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	} else if _, err := provider.QuietLogsUnlessShown(os.LookupEnv, os.Setenv); err != nil {
		log.Printf("[WARN] could not turn off the unread provider log: %v", err)
	}
	// ProtocolServer is the framework's server with the catalog read
	// answered at the protocol level (see internal/provider).
	if err := tf6server.Serve("registry.terraform.io/oxen-ai/oxen", provider.ProtocolServer(version), opts...); err != nil {
		log.Fatal(err.Error())
	}
}
