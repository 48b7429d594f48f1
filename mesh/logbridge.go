package mesh

import (
	"bytes"
	"context"
	"log"
	"log/slog"
	"strings"
)

// memberlistLogger turns memberlist's "[LEVEL] memberlist: msg" lines
// into slog records at the matching level.
func memberlistLogger(l *slog.Logger) *log.Logger {
	return log.New(slogWriter{l.With("component", "memberlist")}, "", 0)
}

type slogWriter struct{ l *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	line := string(bytes.TrimSpace(p))
	level := slog.LevelInfo
	for tag, lv := range map[string]slog.Level{"[DEBUG]": slog.LevelDebug, "[WARN]": slog.LevelWarn, "[ERR]": slog.LevelError, "[INFO]": slog.LevelInfo} {
		if strings.HasPrefix(line, tag) {
			level, line = lv, strings.TrimSpace(strings.TrimPrefix(line, tag))
			break
		}
	}
	line = strings.TrimPrefix(line, "memberlist: ")
	w.l.Log(context.Background(), level, line)
	return len(p), nil
}
