// Package oxen is the client of the Oxen hub's models API: it builds the
// requests, retries what the API says may be retried, and decodes the
// answers and errors into Go values. It knows nothing of Terraform, so that
// the API's quirks and the provider's mapping can change apart.
package oxen
