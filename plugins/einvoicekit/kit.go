// Package einvoicekit runs the offline e-invoice validation kit
// (../shared/einvoice-kit beside the module: the publishers' XSDs and
// Schematron rules) from tests. A test that needs it calls Require, which
// skips with a loud message when the kit or its tools (java, Saxon-HE,
// xmllint) are missing, or fails instead when KONTOR_E2E=require.
package einvoicekit

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Kit is the validation kit, ready to run.
type Kit struct {
	Dir string
}

// Require returns the kit: KONTOR_EINVOICE_KIT when set, otherwise
// shared/einvoice-kit beside the module root.
func Require(t testing.TB) *Kit {
	t.Helper()
	dir, err := locate()
	if err == nil {
		err = tools()
	}
	if err != nil {
		msg := "E-INVOICE VALIDATION NOT RUN: " + err.Error() +
			" (apt-get install -y --no-install-recommends libsaxonhe-java libxml2-utils qpdf jq default-jre-headless; KONTOR_EINVOICE_KIT=<dir> points at the kit)"
		if os.Getenv("KONTOR_E2E") == "require" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return &Kit{Dir: dir}
}

func locate() (string, error) {
	if dir := os.Getenv("KONTOR_EINVOICE_KIT"); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "validate.sh")); err != nil {
			return "", fmt.Errorf("KONTOR_EINVOICE_KIT=%s has no validate.sh", dir)
		}
		return dir, nil
	}
	out, err := exec.Command("go", "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("cannot find the module root (go env GOMOD: %v)", err)
	}
	dir := filepath.Join(filepath.Dir(gomod), "..", "shared", "einvoice-kit")
	if _, err := os.Stat(filepath.Join(dir, "validate.sh")); err != nil {
		return "", fmt.Errorf("no validation kit at %s", dir)
	}
	return filepath.Clean(dir), nil
}

func tools() error {
	var missing []string
	for _, tool := range []string{"java", "xmllint"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	jar := os.Getenv("SAXON_JAR")
	if jar == "" {
		jar = "/usr/share/java/Saxon-HE.jar"
	}
	if _, err := os.Stat(jar); err != nil {
		missing = append(missing, jar)
	}
	if len(missing) > 0 {
		return errors.New("missing " + strings.Join(missing, ", "))
	}
	return nil
}

// Result is the outcome of one validate.sh run.
type Result struct {
	// Output is what validate.sh printed: a PASS or FAIL line per file,
	// each followed by its findings.
	Output string
	// Passed are the files that passed, Failed those that did not.
	Passed, Failed []string
}

// Validate runs `validate.sh FORMAT FILE...` once over all files (the kit
// compiles each stylesheet once per run) and reads its verdicts.
func (k *Kit) Validate(format string, files ...string) (*Result, error) {
	cmd := exec.Command(filepath.Join(k.Dir, "validate.sh"), append([]string{format}, files...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	res := &Result{Output: out.String()}
	for _, line := range strings.Split(res.Output, "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		switch fields[0] {
		case "PASS":
			res.Passed = append(res.Passed, fields[1])
		case "FAIL":
			res.Failed = append(res.Failed, fields[1])
		}
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 {
		err = nil // some files failed: the verdicts say which
	}
	if err == nil && len(res.Passed)+len(res.Failed) != len(files) {
		err = fmt.Errorf("validate.sh gave %d verdicts for %d files", len(res.Passed)+len(res.Failed), len(files))
	}
	if err != nil {
		return res, fmt.Errorf("validate.sh %s: %v\n%s", format, err, res.Output)
	}
	return res, nil
}

// MustPass validates the files in one run and fails the test, with the
// kit's findings, unless every file passes. It logs the PASS lines.
func (k *Kit) MustPass(t testing.TB, format string, files ...string) {
	t.Helper()
	res, err := k.Validate(format, files...)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failed) > 0 {
		t.Errorf("%d of %d %s files fail the official rules:\n%s", len(res.Failed), len(files), format, res.Output)
		return
	}
	t.Logf("validate.sh %s: %d files, all PASS", format, len(res.Passed))
}
