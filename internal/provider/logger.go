package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tflogLogger hands the client's HTTP log to Terraform's logging. The client
// masks the Authorization header itself; masking the key here as well means
// no future log field can leak it by accident.
type tflogLogger struct {
	secret string
}

func (l tflogLogger) mask(ctx context.Context) context.Context {
	if l.secret == "" {
		return ctx
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, l.secret)
	return tflog.MaskMessageStrings(ctx, l.secret)
}

func (l tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(l.mask(ctx), msg, fields)
}

func (l tflogLogger) Trace(ctx context.Context, msg string, fields map[string]any) {
	tflog.Trace(l.mask(ctx), msg, fields)
}

// Terraform and OpenTofu show a provider's log only when TF_LOG or
// TF_LOG_PROVIDER is set: without either they still read every line the
// provider writes to stderr, parse it as JSON and throw it away. The plugin
// SDKs log at TRACE unless told otherwise, tens of lines per read, so a
// provider that stays quiet when nobody asked for its log saves that work on
// every plan.

// quietLevelVars are the SDKs' level variables: of the provider's log, the
// protocol SDK's and the framework's. QuietLogsUnlessShown sets them to OFF.
var quietLevelVars = []string{"TF_LOG_PROVIDER_OXEN", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}

// logRequestVars are the variables that ask for the log: the CLI's own
// (read by the SDKs too) and any level a user set for the SDKs.
var logRequestVars = append([]string{"TF_LOG", "TF_LOG_PROVIDER"}, quietLevelVars...)

// QuietLogsUnlessShown turns the provider's and the SDKs' loggers off when
// nothing in the environment asks for a log: the CLI that started the
// provider then discards every line. A variable set to the empty string
// counts as unset, as the CLIs count it. It reports whether it turned them
// off. main calls it before serving, except under -debug, where the log is
// the developer's terminal.
func QuietLogsUnlessShown(lookup func(string) (string, bool), set func(key, value string) error) (bool, error) {
	for _, k := range logRequestVars {
		if v, ok := lookup(k); ok && v != "" {
			return false, nil
		}
	}
	for _, k := range quietLevelVars {
		if err := set(k, "OFF"); err != nil {
			return false, err
		}
	}
	return true, nil
}
