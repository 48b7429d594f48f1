package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestMeshdrillRefusesAnUnknownSiteBeforeStartingAnything(t *testing.T) {
	cmd := newRootCmd()
	cmd.SetArgs([]string{"--kill", "s9"})
	cmd.SetOut(new(bytes.Buffer))
	cmd.SetErr(new(bytes.Buffer))
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "name sites s1..s5") {
		t.Fatalf("meshdrill --kill s9: %v; want an error naming the sites to choose from", err)
	}
}

func TestMeshdrillJSONReportsASixSiteDrillThatLostNothing(t *testing.T) {
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetArgs([]string{"--sites", "6", "--kill", "s1,s4", "--files", "10", "--file-kib", "16", "--json"})
	cmd.SetOut(&out)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	var rep map[string]any
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("--json printed %q: %v", out.String(), err)
	}
	if rep["hot_files_lost"] != 0.0 || rep["snapshot_files_lost"] != 0.0 || rep["new_primary"] != "s2" {
		t.Fatalf("report %v: want nothing lost and s2 promoted", rep)
	}
	if rep["detect_s"].(float64) <= 0 || rep["scheme"] != "4+2" {
		t.Fatalf("report %v: want the detection timed and the default 4+2 of six sites", rep)
	}
}
