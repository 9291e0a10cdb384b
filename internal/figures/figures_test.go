package figures

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRecordThenRead(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(DirEnv, dir)
	want := Wait{Deploy: 5 * time.Minute, LiveStatusRequests: 36, Late: 780 * time.Millisecond}
	t.Run("five/minutes", func(t *testing.T) { Record(t, want) })

	got, err := Read[Wait](dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("read back %+v, want [%+v]", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "TestRecordThenRead-five-minutes.json")); err != nil {
		t.Errorf("the file is not named after the test: %v", err)
	}
}

func TestRecordWithoutDirWritesNothing(t *testing.T) {
	t.Setenv(DirEnv, "")
	wd := t.TempDir()
	t.Chdir(wd)
	Record(t, Wait{Deploy: time.Minute})
	if entries, _ := os.ReadDir(wd); len(entries) != 0 {
		t.Fatalf("Record without %s wrote %d files", DirEnv, len(entries))
	}
}

func TestReadRefusesAnotherShape(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.json"), []byte(`{"deploy_seconds": 300}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Read[Wait](dir); err == nil {
		t.Fatalf("Read accepted a member Wait does not have: %+v", got)
	}
}
