package mesh

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/meshvault/meshvault/store"
)

// Identity is what makes a site the same site across restarts: its name
// and its libp2p Ed25519 key, both kept in the data directory.
type Identity struct {
	Site   string
	Key    crypto.PrivKey
	PeerID peer.ID
}

const (
	identityKeyFile  = "identity.key"
	identitySiteFile = "site"
)

var siteNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// ValidSiteName reports why name cannot name a site, or nil.
func ValidSiteName(name string) error {
	if !siteNameRE.MatchString(name) {
		return fmt.Errorf("site name %q is not valid: use 1-63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

// LoadIdentity reads the identity kept in dir, or creates one for site if
// dir holds none. An empty site means "whatever dir holds". A dir that
// belongs to another site is refused: one data dir is one site.
func LoadIdentity(dir, site string) (Identity, error) {
	stored, err := readSite(dir)
	if err != nil {
		return Identity{}, err
	}
	if site == "" && stored == "" {
		return Identity{}, fmt.Errorf("--site is required: data dir %s holds no site yet", dir)
	}
	if site != "" && stored != "" && site != stored {
		return Identity{}, fmt.Errorf("data dir %s belongs to site %q, not %q: use --site %s, or another --data for site %s", dir, stored, site, stored, site)
	}
	if site == "" {
		site = stored
	}
	if err := ValidSiteName(site); err != nil {
		return Identity{}, err
	}
	key, err := loadOrCreateKey(filepath.Join(dir, identityKeyFile))
	if err != nil {
		return Identity{}, err
	}
	if stored == "" {
		if err := store.WriteFileAtomic(filepath.Join(dir, identitySiteFile), []byte(site+"\n"), 0o644); err != nil {
			return Identity{}, fmt.Errorf("save site name: %w", err)
		}
	}
	id, err := peer.IDFromPrivateKey(key)
	if err != nil {
		return Identity{}, fmt.Errorf("derive peer ID: %w", err)
	}
	return Identity{Site: site, Key: key, PeerID: id}, nil
}

func readSite(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, identitySiteFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read site name: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

func loadOrCreateKey(path string) (crypto.PrivKey, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		key, err := crypto.UnmarshalPrivateKey(b)
		if err != nil {
			return nil, fmt.Errorf("identity key %s is corrupt (%v): restore it from backup; deleting it gives the site a new peer ID", path, err)
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read identity key: %w", err)
	}
	key, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		return nil, fmt.Errorf("generate identity key: %w", err)
	}
	raw, err := crypto.MarshalPrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encode identity key: %w", err)
	}
	if err := store.WriteFileAtomic(path, raw, 0o600); err != nil {
		return nil, fmt.Errorf("save identity key: %w", err)
	}
	return key, nil
}
