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

// baseURLRootAdvice says what base_url should be when requests miss the API.
var baseURLRootAdvice = "base_url should be the hub's root (" + oxen.DefaultBaseURL + "), or the address where a proxy " +
	"serves that root, without /api: the provider adds /api/ai/models to it."

// baseURLErrorDetail explains a base_url that ParseBaseURL refused.
func baseURLErrorDetail(err error) string {
	if errors.Is(err, oxen.ErrBaseURLEndsInAPI) {
		return err.Error() + ", which nothing serves.\n\n" + baseURLRootAdvice
	}
	return err.Error()
}

// adviceFor says what fixes the cause of err. Each cause gets its own
// remedy: advice that fits another cause sends the user the wrong way.
func adviceFor(data *providerData, modelID string, err error) string {
	if data == nil {
		data = &providerData{}
	}
	if errors.Is(err, context.Canceled) {
		return "The operation was interrupted; run it again to finish."
	}
	// The setting to check, with its value and where that came from.
	baseURL := "base_url"
	if data.baseURL != "" {
		baseURL = fmt.Sprintf("base_url (%s, %s)", data.baseURL, data.baseURLSource)
	}
	owner := "the account of the API key"
	if modelID != "" {
		owner = fmt.Sprintf("the account that owns model %q", modelID)
	}
	switch oxen.KindOf(err) {
	case oxen.KindUnauthenticated:
		if !data.hasAPIKey {
			return "No API key is configured. Set the " + envAPIKey + " environment variable, or api_key in the provider block."
		}
		return "The API key was rejected. Check that " + envAPIKey + " (or the provider's api_key) holds a current key: " +
			"of your Oxen account for a base model, of the account that owns the model for a custom one. Base models " +
			"can also be read with no key at all, but never with a rejected one."
	case oxen.KindInsufficientCredits:
		return fmt.Sprintf("The request was refused for lack of credits: add credits to %s, or check its billing, "+
			"in the Oxen hub. Retrying will not help before then.", owner)
	case oxen.KindForbidden:
		return fmt.Sprintf("The API key was accepted but is not allowed to do this. Custom models can be read and "+
			"activated only with a key of their owner: use a key of %s in %s (or the provider's api_key), "+
			"or ask the owner for access.", owner, envAPIKey)
	case oxen.KindNoAPIAtPath:
		about := ""
		if modelID != "" {
			about = fmt.Sprintf(", and says nothing of model %q", modelID)
		}
		return "The 404 above is not the Oxen API's answer for a missing model: no endpoint of the API is at the path " +
			"the request was sent to" + about + ". Check " + baseURL + ". " + baseURLRootAdvice
	case oxen.KindNotFound:
		if modelID == "" {
			return "The API does not know this path: check that " + baseURL + " points at the Oxen hub."
		}
		if !data.hasAPIKey {
			return "Check the model id (data \"oxen_models\" lists them). Custom models are visible only to their owner: if this is one, set " + envAPIKey + "."
		}
		return "Check the model id (data \"oxen_models\" lists them) and that the API key belongs to the model's owner."
	case oxen.KindInvalidParams:
		return "The API refused the request as invalid; its own explanation is quoted above. Check the arguments " +
			"of this block (the model id above all): sending the same request again will not help."
	case oxen.KindRateLimited:
		return "The API kept rate limiting the requests. Retry later, or raise max_retries in the provider block."
	case oxen.KindServerError:
		return "The Oxen API failed on its side on every attempt; nothing in the configuration causes this. " +
			"Retry later; if it persists, check the Oxen status page or contact Oxen support with the request id above."
	case oxen.KindHostNotFound:
		return "Check " + baseURL + ": its host name does not resolve, so no request reached the Oxen API, and " +
			"retrying cannot fix that. Correct the URL (the hub is " + oxen.DefaultBaseURL + ") or this machine's DNS settings."
	case oxen.KindConnectionRefused:
		return "Check " + baseURL + ": nothing accepts connections at that address. Correct its host or port " +
			"(the hub is " + oxen.DefaultBaseURL + "), or start the server or proxy it names."
	case oxen.KindTLS:
		return "Check " + baseURL + ": the server's TLS certificate is not trusted by this machine (or the server " +
			"does not speak TLS), so no request was sent, and retrying cannot fix that. For a proxy with its own " +
			"certificate authority, add that CA to the system's trust store (or point SSL_CERT_FILE at it); for a " +
			"server without TLS, use an http:// URL."
	case oxen.KindNetwork:
		return "No complete answer came from " + baseURL + ", even after retries. Check the network between this " +
			"machine and the hub (proxy, firewall, VPN) and the Oxen status page; if answers are merely slow, raise " +
			"request_timeout in the provider block."
	case oxen.KindUnexpectedResponse:
		return "The answer was not the Oxen API's JSON. Check that " + baseURL + " points at the Oxen API and " +
			"not at a login page or another service; if it does, retry later."
	}
	return "If this persists, check " + baseURL + " and the Oxen status page, then retry."
}
