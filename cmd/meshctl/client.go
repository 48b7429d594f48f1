package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/meshvault/meshvault/node"
	"github.com/meshvault/meshvault/node/api"
)

// datasetClient checks a dataset name given on the command line, then
// builds the client for a command about that dataset.
func (g *globals) datasetClient(cmd *cobra.Command, name string) (*api.Client, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	return g.client(cmd)
}

// client builds an API client from --api/--token, MESHCTL_API/TOKEN, or
// the files meshnode writes in --data, in that order.
func (g *globals) client(cmd *cobra.Command) (*api.Client, error) {
	addr, token := g.api, g.token
	if addr == "" {
		addr = g.getenv("MESHCTL_API")
	}
	if token == "" {
		token = g.getenv("MESHCTL_TOKEN")
	}
	var err error
	if addr == "" {
		if addr, err = readDataFile(g.data, node.APIAddrFile); err != nil {
			return nil, err
		}
	}
	if token == "" {
		if token, err = readDataFile(g.data, node.APITokenFile); err != nil {
			return nil, err
		}
	}
	return api.NewClient(addr, token), nil
}

func readDataFile(dir, name string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("no %s in %s: is meshnode running with --data %s? Or pass --api and --token", name, dir, dir)
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w (run as the user that runs meshnode, or pass --api and --token)", filepath.Join(dir, name), err)
	}
	return strings.TrimSpace(string(b)), nil
}
