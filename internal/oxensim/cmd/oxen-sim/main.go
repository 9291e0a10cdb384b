// Command oxen-sim serves the simulated Oxen models API on a local port,
// for demos and for running Terraform by hand against a fake hub.
//
//	go run ./internal/oxensim/cmd/oxen-sim -api-key secret -url-file /tmp/oxen-url
//	OXEN_BASE_URL=$(cat /tmp/oxen-url) OXEN_API_KEY=secret terraform apply
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "oxen-sim:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done, then shuts down gracefully.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("oxen-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on")
	apiKey := fs.String("api-key", os.Getenv("OXEN_SIM_API_KEY"), "the one valid bearer token (default $OXEN_SIM_API_KEY; empty = no key is valid)")
	deploy := fs.Duration("deploy-time", 20*time.Second, "how long an activation stays \"deploying\"")
	deactivate := fs.Duration("deactivate-time", 5*time.Second, "how long a deactivation stays \"deactivating\"")
	latency := fs.Duration("latency", 0, "delay added to every request")
	size := fs.Int("catalog-size", 0, "0 = the seed catalog; N = N generated models plus the seed's custom models")
	urlFile := fs.String("url-file", "", "write the base URL to this file once listening")
	verbose := fs.Bool("v", false, "log one line per request to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if *size < 0 {
		return errors.New("-catalog-size must not be negative")
	}

	opts := oxensim.Options{
		APIKey:             *apiKey,
		DeployDuration:     *deploy,
		DeactivateDuration: *deactivate,
		Latency:            *latency,
	}
	if *size > 0 {
		opts.Models = append(oxensim.GenerateCatalog(*size), oxensim.SeedCustomModels()...)
	}
	logger := log.New(stderr, "", log.LstdFlags|log.Lmicroseconds)
	if *verbose {
		opts.OnRequest = func(r oxensim.Request) {
			path := r.Path
			if r.RawQuery != "" {
				path += "?" + r.RawQuery
			}
			logger.Printf("%s %s %s -> %d (auth=%t)", r.RequestID, r.Method, path, r.Status, r.Authorization)
		}
	}
	sim := oxensim.New(opts)

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	if *urlFile != "" {
		if err := writeFileAtomic(*urlFile, url); err != nil {
			ln.Close()
			return err
		}
	}
	srv := &http.Server{
		Handler:           sim,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0), // aborted (faulty) responses are on purpose
	}
	fmt.Fprintf(stdout, "oxen-sim listening on %s\n", url)
	if *verbose {
		logger.Printf("serving %d models; deploy %s, deactivate %s", len(sim.ModelIDs()), *deploy, *deactivate)
	}

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "oxen-sim stopped")
	return nil
}

// writeFileAtomic writes content so that a reader polling for the file
// never sees it half written.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".oxen-sim-url-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
