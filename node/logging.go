package node

import (
	"fmt"
	"io"
	"log/slog"
)

// NewLogger builds the daemon's logger in the configured format.
func NewLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	lv, err := parseLevel(level)
	if err != nil {
		return nil, err
	}
	opts := &slog.HandlerOptions{Level: lv}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return slog.New(slog.NewTextHandler(w, opts)), nil
}

func parseLevel(s string) (slog.Level, error) {
	var lv slog.Level
	if s == "" {
		return slog.LevelInfo, nil
	}
	if err := lv.UnmarshalText([]byte(s)); err != nil {
		return lv, fmt.Errorf("--log-level %q: use debug, info, warn or error", s)
	}
	return lv, nil
}
