package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

func get(t *testing.T, url, key string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// The canned server answers what the simulator answered, byte for byte,
// counts requests by path, and reports what it could not answer.
func TestReplayServesTheSimulatorsBytes(t *testing.T) {
	sim := oxensim.New(oxensim.Options{APIKey: apiKey})
	id := sim.ModelIDs()[0]
	want, _ := sim.ModelJSON(id)
	c, err := replay(sim, []string{oxensim.ModelsPath + "/" + id})
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()

	for range 2 {
		if status, body := get(t, c.url+oxensim.ModelsPath+"/"+id, apiKey); status != 200 || strings.TrimSpace(body) != strings.TrimSpace(string(want)) {
			t.Fatalf("GET %s = %d %s, want 200 %s", id, status, body, want)
		}
	}
	if n, err := c.requests(oxensim.ModelsPath + "/"); err != nil || n != 2 {
		t.Fatalf("requests() = %d, %v; want 2, nil", n, err)
	}

	if status, _ := get(t, c.url+oxensim.ModelsPath+"/not-recorded", apiKey); status != 404 {
		t.Errorf("an unrecorded URI got %d, want 404", status)
	}
	if _, err := c.requests(oxensim.ModelsPath); err == nil || !strings.Contains(err.Error(), "/not-recorded") {
		t.Errorf("requests() after an unrecorded URI: %v, want an error naming it", err)
	}

	c.reset()
	if status, _ := get(t, c.url+oxensim.ModelsPath+"/"+id, ""); status != 401 {
		t.Errorf("a request without the key got %d, want 401", status)
	}
	if _, err := c.requests(oxensim.ModelsPath); err == nil {
		t.Error("requests() after a request without the key: no error")
	}
}

func TestReplayRefusesAnAnswerThatIsNotOK(t *testing.T) {
	sim := oxensim.New(oxensim.Options{APIKey: apiKey})
	if _, err := replay(sim, []string{oxensim.ModelsPath + "/no-such-model"}); err == nil {
		t.Fatal("replay recorded a 404 as an answer")
	}
}

func TestCLIVersion(t *testing.T) {
	for out, want := range map[string]string{
		"Terraform v1.5.7\non linux_amd64\n": "Terraform v1.5.7",
		"\nWarning: Unable to open CLI configuration file\n\nThe CLI configuration file at \"/root/.terraformrc\" does not exist.\nOpenTofu v1.12.6\non linux_amd64\n": "OpenTofu v1.12.6",
	} {
		if got := cliVersion(out); got != want {
			t.Errorf("cliVersion(%q) = %q, want %q", out, got, want)
		}
	}
}
