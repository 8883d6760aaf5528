package host

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// CommandName is the hidden subcommand that serves a first-party plugin.
const CommandName = "plugin"

// Command returns the hidden subcommand "plugin NAME", which serves the
// first-party plugin of that name to the host that started it. It is not
// meant to be run by hand: started by anything else than the host, the
// plugin says so and exits.
func Command(builtin []sdk.Plugin) *cobra.Command {
	return &cobra.Command{
		Use:           CommandName + " NAME",
		Short:         "Serve a first-party plugin to the Kontor server that started it",
		Hidden:        true,
		Args:          cobra.ExactArgs(1),
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(_ *cobra.Command, args []string) error {
			var names []string
			for _, p := range builtin {
				d := p.Describe()
				if d.Name == args[0] {
					sdk.Serve(p)
					return nil
				}
				names = append(names, d.Name)
			}
			sort.Strings(names)
			return fmt.Errorf("there is no first-party plugin %q; there are: %s", args[0], strings.Join(names, ", "))
		},
	}
}

// RunCommand runs Command when args (os.Args[1:]) call it, and reports
// whether they did; a failure exits with status 1. main calls it before it
// builds the PocketBase app, so a plugin process never opens the data
// directory:
//
//	if host.RunCommand(os.Args[1:], firstparty.Plugins()) {
//		return
//	}
func RunCommand(args []string, builtin []sdk.Plugin) bool {
	if len(args) == 0 || args[0] != CommandName {
		return false
	}
	cmd := Command(builtin)
	cmd.SetArgs(args[1:])
	if err := cmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "kontor plugin:", err)
		os.Exit(1)
	}
	return true
}
