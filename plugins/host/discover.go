package host

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// loadDir starts every plugin binary of the plugins directory, checks it and
// adds it, logging each plugin loaded or refused.
func (h *Host) loadDir(ctx context.Context) {
	dir := h.cfg.PluginsDir
	if dir == "" {
		return
	}
	binaries, err := pluginBinaries(dir)
	if err != nil {
		h.log.Error("plugins directory cannot be read; no third-party plugin is loaded", "dir", dir, "error", err.Error())
		return
	}
	allowed := map[string]bool{}
	for _, s := range h.cfg.AllowedSHA256 {
		allowed[strings.ToLower(strings.TrimSpace(s))] = true
	}
	for _, path := range binaries {
		sum, err := fileSHA256(path)
		if err != nil {
			h.log.Error("plugin refused: cannot read it", "path", path, "error", err.Error())
			continue
		}
		hexSum := hex.EncodeToString(sum)
		if len(allowed) > 0 && !allowed[hexSum] {
			h.log.Error("plugin refused: its SHA-256 is not in the allow-list (KONTOR_PLUGINS_SHA256)", "path", path, "sha256", hexSum)
			continue
		}
		if err := h.loadBinary(ctx, path, sum); err != nil {
			h.log.Error("plugin refused: "+err.Error(), "path", path, "sha256", hexSum)
			continue
		}
	}
}

// loadBinary starts a third-party plugin, asks it to describe itself and
// adds it. The process keeps running.
func (h *Host) loadBinary(ctx context.Context, path string, sum []byte) error {
	cmd := func() *exec.Cmd { return exec.Command(path) }
	s, err := h.launch(filepath.Base(path), cmd(), sum)
	if err != nil {
		return err
	}
	d, err := describe(ctx, s.conn, h.cfg.StartTimeout)
	if err == nil {
		err = checkDescription(d)
	}
	in := &instance{h: h, desc: d, origin: path, cmd: cmd, sum: sum, client: s.client, proto: s.proto, conn: s.conn, gen: 1}
	if err == nil {
		err = h.add(in)
	}
	if err != nil {
		s.client.Kill()
		return err
	}
	h.log.Info("plugin loaded", "plugin", d.Name, "kind", d.Kind, "version", d.Version, "path", path,
		"sha256", hex.EncodeToString(sum), "protocol", s.client.NegotiatedVersion())
	return nil
}

// checkDescription refuses a description the host cannot use.
func checkDescription(d sdk.Description) error {
	if err := sdk.CheckDescription(d); err != nil {
		return fmt.Errorf("its description is not valid: %w", err)
	}
	return nil
}

// pluginBinaries lists the regular, executable files of dir, by name;
// hidden files are skipped.
func pluginBinaries(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		info, err := os.Stat(path) // follows symlinks
		if err != nil || !info.Mode().IsRegular() || info.Mode().Perm()&0o111 == 0 {
			continue
		}
		out = append(out, path)
	}
	sort.Strings(out)
	return out, nil
}

// fileSHA256 returns the SHA-256 of a file.
func fileSHA256(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}
