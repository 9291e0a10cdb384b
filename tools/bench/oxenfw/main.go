// Command oxenfw is this provider served by terraform-plugin-framework
// alone, built only for the end-to-end benchmark (tools/bench): the same
// provider.New as the shipped binary, without the protocol-level fast path
// that the shipped main.go puts in front of the data sources' reads. The
// benchmark plans the same configurations with both builds, so what the
// fast path is worth is measured rather than assumed.
package main

import (
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/oxen-ai/terraform-provider-oxen/internal/provider"
)

var version = "dev"

func main() {
	// As the shipped main does: the only difference between the two builds
	// must be the fast path, not an unread log written by one of them.
	if _, err := provider.QuietLogsUnlessShown(os.LookupEnv, os.Setenv); err != nil {
		log.Printf("[WARN] could not turn off the unread provider log: %v", err)
	}
	if err := tf6server.Serve("registry.terraform.io/oxen-ai/oxenfw", providerserver.NewProtocol6(provider.New(version)())); err != nil {
		log.Fatal(err.Error())
	}
}
