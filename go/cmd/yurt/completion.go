package main

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/yurt-sdk/yurt/go/buildinfo"
)

func versionSetup(fs *flag.FlagSet, o cmdIO) func([]string) error {
	asJSON := fs.Bool("json", false, "print JSON")
	return func([]string) error { return buildinfo.Get("yurt").Write(o.stdout, *asJSON) }
}

func completionSetup(_ *flag.FlagSet, o cmdIO) func([]string) error {
	return func(pos []string) error {
		spec := completionSpec()
		switch pos[0] {
		case "bash":
			return writeBash(o.stdout, spec)
		case "zsh":
			return writeZsh(o.stdout, spec)
		case "fish":
			return writeFish(o.stdout, spec)
		}
		return usageError{fmt.Sprintf("yurt completion: expected bash, zsh or fish, got %q", pos[0])}
	}
}

// compCmd is what the completion scripts know of one top-level word.
type compCmd struct {
	word, summary string
	sub           []string // second words ("status" for plugin, device)
	flags         []flagInfo
	taskRef, file bool
	shells        bool
}

type flagInfo struct{ name, usage string }

// completionSpec derives the scripts' contents from the command table.
func completionSpec() []compCmd {
	byWord := map[string]*compCmd{}
	var order []string
	for _, c := range commands() {
		if c.hidden {
			continue
		}
		words := strings.Fields(c.name)
		cc := byWord[words[0]]
		if cc == nil {
			cc = &compCmd{word: words[0], summary: c.summary}
			byWord[words[0]] = cc
			order = append(order, words[0])
		}
		if len(words) > 1 {
			cc.sub = append(cc.sub, words[1])
			cc.summary = words[0] + "s: " + strings.Join(cc.sub, ", ")
		}
		fs := newFlagSet(c)
		c.setup(fs, cmdIO{stdout: io.Discard, stderr: io.Discard})
		fs.VisitAll(func(f *flag.Flag) { cc.flags = append(cc.flags, flagInfo{f.Name, f.Usage}) })
		cc.taskRef, cc.file, cc.shells = c.taskRef, c.name == "run", c.name == "completion"
	}
	out := make([]compCmd, 0, len(order))
	for _, w := range order {
		cc := byWord[w]
		sort.Slice(cc.flags, func(i, j int) bool { return cc.flags[i].name < cc.flags[j].name })
		out = append(out, *cc)
	}
	return out
}

// taskNamesSh lists task names from `yurt status --json` (two-space
// indented array of objects) without needing jq.
const taskNamesSh = `yurt status --json 2>/dev/null | sed -n 's/^    "name": "\([^"]*\)".*/\1/p'`

func words(spec []compCmd, pick func(compCmd) bool) string {
	var w []string
	for _, c := range spec {
		if pick(c) {
			w = append(w, c.word)
		}
	}
	return strings.Join(w, " ")
}

func flagWords(c compCmd) string {
	var w []string
	for _, f := range c.flags {
		w = append(w, "-"+f.name)
	}
	return strings.Join(w, " ")
}

func writeBash(w io.Writer, spec []compCmd) error {
	var b strings.Builder
	b.WriteString("# bash completion for yurt. Load it with: source <(yurt completion bash)\n")
	fmt.Fprintf(&b, "_yurt_tasks() {\n    %s\n}\n\n", taskNamesSh)
	b.WriteString("_yurt() {\n    local cur=\"${COMP_WORDS[COMP_CWORD]}\"\n    COMPREPLY=()\n")
	fmt.Fprintf(&b, "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n        COMPREPLY=( $(compgen -W %q -- \"$cur\") )\n        return\n    fi\n",
		words(spec, func(compCmd) bool { return true }))
	b.WriteString("    case \"${COMP_WORDS[1]}\" in\n")
	for _, c := range spec {
		fmt.Fprintf(&b, "    %s)\n", c.word)
		fmt.Fprintf(&b, "        if [[ \"$cur\" == -* ]]; then\n            COMPREPLY=( $(compgen -W %q -- \"$cur\") )\n            return\n        fi\n", flagWords(c))
		switch {
		case len(c.sub) > 0:
			fmt.Fprintf(&b, "        if [ \"$COMP_CWORD\" -eq 2 ]; then\n            COMPREPLY=( $(compgen -W %q -- \"$cur\") )\n        fi\n", strings.Join(c.sub, " "))
		case c.taskRef:
			b.WriteString("        COMPREPLY=( $(compgen -W \"$(_yurt_tasks)\" -- \"$cur\") )\n")
		case c.file:
			b.WriteString("        COMPREPLY=( $(compgen -f -- \"$cur\") )\n")
		case c.shells:
			b.WriteString("        COMPREPLY=( $(compgen -W \"bash zsh fish\" -- \"$cur\") )\n")
		}
		b.WriteString("        ;;\n")
	}
	b.WriteString("    esac\n}\n\ncomplete -F _yurt yurt\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func zshQuote(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "'", "'\\''"), ":", "\\:")
}

func writeZsh(w io.Writer, spec []compCmd) error {
	var b strings.Builder
	b.WriteString("#compdef yurt\n# zsh completion for yurt. Load it with: source <(yurt completion zsh)\n")
	fmt.Fprintf(&b, "_yurt_tasks() {\n    local -a tasks\n    tasks=(${(f)\"$(%s)\"})\n    compadd -a tasks\n}\n\n", taskNamesSh)
	b.WriteString("_yurt() {\n    local -a cmds\n    cmds=(\n")
	for _, c := range spec {
		fmt.Fprintf(&b, "        '%s:%s'\n", c.word, zshQuote(c.summary))
	}
	b.WriteString("    )\n    if (( CURRENT == 2 )); then\n        _describe 'command' cmds\n        return\n    fi\n")
	b.WriteString("    case $words[2] in\n")
	for _, c := range spec {
		fmt.Fprintf(&b, "    %s)\n", c.word)
		fmt.Fprintf(&b, "        if [[ $PREFIX == -* ]]; then\n            compadd -- %s\n            return\n        fi\n", flagWords(c))
		switch {
		case len(c.sub) > 0:
			fmt.Fprintf(&b, "        (( CURRENT == 3 )) && compadd -- %s\n", strings.Join(c.sub, " "))
		case c.taskRef:
			b.WriteString("        _yurt_tasks\n")
		case c.file:
			b.WriteString("        _files\n")
		case c.shells:
			b.WriteString("        compadd -- bash zsh fish\n")
		}
		b.WriteString("        ;;\n")
	}
	b.WriteString("    esac\n}\n\nif [ \"$funcstack[1]\" = \"_yurt\" ]; then\n    _yurt \"$@\"\nelse\n    compdef _yurt yurt\nfi\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func fishQuote(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}

func writeFish(w io.Writer, spec []compCmd) error {
	var b strings.Builder
	b.WriteString("# fish completion for yurt. Load it with: yurt completion fish | source\n")
	b.WriteString("function __yurt_tasks\n    yurt status --json 2>/dev/null | string match -rg '^    \"name\": \"([^\"]*)\"'\nend\n\n")
	b.WriteString("complete -c yurt -f\n")
	for _, c := range spec {
		fmt.Fprintf(&b, "complete -c yurt -n __fish_use_subcommand -a %s -d %s\n", c.word, fishQuote(c.summary))
	}
	for _, c := range spec {
		cond := fishQuote("__fish_seen_subcommand_from " + c.word)
		for _, f := range c.flags {
			fmt.Fprintf(&b, "complete -c yurt -n %s -o %s -d %s\n", cond, f.name, fishQuote(f.usage))
		}
		switch {
		case len(c.sub) > 0:
			fmt.Fprintf(&b, "complete -c yurt -n %s -a %s\n", cond, fishQuote(strings.Join(c.sub, " ")))
		case c.taskRef:
			fmt.Fprintf(&b, "complete -c yurt -n %s -a '(__yurt_tasks)'\n", cond)
		case c.file:
			fmt.Fprintf(&b, "complete -c yurt -n %s -F\n", cond)
		case c.shells:
			fmt.Fprintf(&b, "complete -c yurt -n %s -a 'bash zsh fish'\n", cond)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
