package hot

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/meshvault/meshvault/erasure"
	"github.com/meshvault/meshvault/mesh"
	"github.com/meshvault/meshvault/node/api"
)

// defKind is the cluster-state kind that holds dataset definitions.
const defKind = "dataset"

// Modes of replication.
const (
	ModeSync  = "sync"
	ModeAsync = "async"
)

// Def is a dataset's definition, replicated to every site by gossip.
type Def = api.Dataset

// validateDef checks a new definition against the mesh's members.
func validateDef(d Def, members map[string]mesh.Member) error {
	if err := validName(d.Name); err != nil {
		return err
	}
	if d.Mode != ModeSync && d.Mode != ModeAsync {
		return fmt.Errorf("mode %q: use sync or async", d.Mode)
	}
	if _, ok := members[d.Primary]; !ok {
		return fmt.Errorf("primary %q is not a site of the mesh: see 'meshctl members'", d.Primary)
	}
	if d.EC != "" {
		if _, err := erasure.ParseScheme(d.EC); err != nil {
			return fmt.Errorf("--ec %q: %w", d.EC, err)
		}
	}
	if len(d.Replicas) == 0 {
		return fmt.Errorf("dataset %s needs at least one replica site (--replicas)", d.Name)
	}
	return validateReplicas(d, members)
}

func validateReplicas(d Def, members map[string]mesh.Member) error {
	for i, r := range d.Replicas {
		if r == d.Primary {
			return fmt.Errorf("site %s is the primary and cannot also be a replica: list only other sites in --replicas", r)
		}
		if _, ok := members[r]; !ok {
			return fmt.Errorf("replica %q is not a site of the mesh: see 'meshctl members'", r)
		}
		if slices.Contains(d.Replicas[:i], r) {
			return fmt.Errorf("replica %s is listed twice", r)
		}
	}
	return nil
}

func validName(name string) error {
	if err := mesh.ValidSiteName(name); err != nil {
		return fmt.Errorf("dataset name %q is not valid: use 1-63 lower-case letters, digits, '.', '_' or '-'", name)
	}
	return nil
}

// sites lists the primary and the replicas.
func sites(d Def) []string { return append([]string{d.Primary}, d.Replicas...) }

func decodeDef(e mesh.Entry) (Def, error) {
	var d Def
	err := json.Unmarshal(e.Value, &d)
	return d, err
}

// forkPoint is the log position at which the first epoch after epoch
// began: a site whose log, written in epoch, runs past it holds writes
// the new primary never had.
func forkPoint(d Def, epoch uint64) (uint64, bool) {
	for _, ev := range d.History {
		if ev.Epoch > epoch {
			return ev.Start, true
		}
	}
	return 0, false
}
