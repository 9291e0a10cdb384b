package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
)

// apiErrorDiag turns a client error into a diagnostic that says what was
// being done, to which model, what the API answered (its own message and
// request id are in err's text) and what the user can do about it.
func apiErrorDiag(data *providerData, doing, modelID string, err error) diag.Diagnostic {
	summary := "Could not " + doing
	if modelID != "" {
		summary = fmt.Sprintf("Could not %s %q", doing, modelID)
	}
	detail := err.Error()
	if advice := adviceFor(data, modelID, err); advice != "" {
		detail += "\n\n" + advice
	}
	return diag.NewErrorDiagnostic(summary, detail)
}

func adviceFor(data *providerData, modelID string, err error) string {
	var keyConfigured bool
	if data != nil {
		keyConfigured = data.hasAPIKey
	}
	switch {
	case oxen.IsUnauthenticated(err) && !keyConfigured:
		return "No API key is configured. Set the " + envAPIKey + " environment variable, or api_key in the provider block."
	case oxen.IsUnauthenticated(err):
		return "The API key was rejected. Check that " + envAPIKey + " (or the provider's api_key) holds a current key of the account that owns the model."
	case oxen.IsNotFound(err) && modelID != "" && !keyConfigured:
		return "Check the model id (data \"oxen_models\" lists them). Custom models are visible only to their owner: if this is one, set " + envAPIKey + "."
	case oxen.IsNotFound(err) && modelID != "":
		return "Check the model id (data \"oxen_models\" lists them) and that the API key belongs to the model's owner."
	case oxen.IsRateLimited(err):
		return "The API kept rate limiting the requests. Retry later, or raise max_retries in the provider block."
	case errors.Is(err, context.Canceled):
		return "The operation was interrupted; run it again to finish."
	default:
		return "If this persists, check base_url and the Oxen status page, then retry."
	}
}
