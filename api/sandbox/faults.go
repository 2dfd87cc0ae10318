package sandbox

import (
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"konto/api"
)

// FaultsHelp documents the fault spec for `konto sandbox --help`.
const FaultsHelp = `A fault spec is a comma-separated list of rules KIND[=ARG]@RATE[:[METHOD ]PATHGLOB]:
  KIND        latency=DURATION   delay the request (e.g. latency=2s) on the bank's virtual clock (POST
                                 /sandbox/clock ends the wait sooner); adds up with other latency
                                 rules. A payment delayed past the client's timeout is still
                                 carried out, as at a slow bank
              500 502 503 504    answer that status without acting
              429                answer 429 with Retry-After: 1 without acting
              drop-before        close the connection without acting or answering
              drop-after         act (e.g. book the payment), then close the connection without answering
              malformed          act, then answer 200 with a truncated JSON body (GET requests only)
  RATE        probability from 0 to 1 that the rule fires on a matching request
  METHOD      GET, POST, PUT, PATCH or DELETE; any method if left out
  PATHGLOB    path.Match glob on the path without query and trailing slash, '*' matching
              one segment (/api/accounts/*/transactions); without it the rule applies to
              every /api/ path (the /sandbox/ endpoints stay reliable)
Rules are rolled in order with a random source seeded from --seed; latency rules add up,
and the first other rule that fires decides the outcome.
Example: latency=2s@1.0:/api/accounts/*/transactions,503@0.2:POST /api/accounts/*/transfer,
         429@0.1,drop-after@0.5:PUT /api/accounts/*/transfer/*,malformed@0.05`

// FaultRule is one parsed rule of a fault spec (see FaultsHelp).
type FaultRule struct {
	Kind    string        // "latency", "500", "502", "503", "504", "429", "drop-before", "drop-after", "malformed"
	Latency time.Duration // for "latency"
	Rate    float64       // 0 to 1
	Method  string        // "" for any method
	Glob    string        // "" for every /api/ path
}

// ParseFaults parses a fault spec: comma-separated rules
// KIND[=ARG]@RATE[:[METHOD ]PATHGLOB] with KIND one of latency=DURATION, 500,
// 502, 503, 504, 429, drop-before, drop-after or malformed (FaultsHelp has the
// details). An empty spec has no rules. Errors name the rule at fault.
func ParseFaults(spec string) ([]FaultRule, error) {
	var rules []FaultRule
	if strings.TrimSpace(spec) == "" {
		return nil, nil
	}
	for _, text := range strings.Split(spec, ",") {
		text = strings.TrimSpace(text)
		rule, err := parseFaultRule(text)
		if err != nil {
			return nil, fmt.Errorf("fault rule %q: %w", text, err)
		}
		rules = append(rules, rule)
	}
	return rules, nil
}

func parseFaultRule(text string) (FaultRule, error) {
	var r FaultRule
	kind, rest, ok := strings.Cut(text, "@")
	if !ok {
		return r, fmt.Errorf("want KIND[=ARG]@RATE[:[METHOD ]PATHGLOB], missing @RATE")
	}
	rate, target, hasTarget := strings.Cut(rest, ":")
	kind, arg, hasArg := strings.Cut(strings.TrimSpace(kind), "=")
	r.Kind = kind
	switch kind {
	case "latency":
		if !hasArg {
			return r, fmt.Errorf("latency needs a duration, e.g. latency=2s")
		}
		d, err := time.ParseDuration(arg)
		if err != nil || d < 0 {
			return r, fmt.Errorf("bad latency %q: want a duration such as 250ms or 2s", arg)
		}
		r.Latency = d
	case "500", "502", "503", "504", "429", "drop-before", "drop-after", "malformed":
		if hasArg {
			return r, fmt.Errorf("%s takes no argument", kind)
		}
	default:
		return r, fmt.Errorf("unknown kind %q: want latency, 500, 502, 503, 504, 429, drop-before, drop-after or malformed", kind)
	}
	p, err := strconv.ParseFloat(strings.TrimSpace(rate), 64)
	if err != nil || p < 0 || p > 1 {
		return r, fmt.Errorf("bad rate %q: want a probability from 0 to 1", rate)
	}
	r.Rate = p
	if hasTarget {
		target = strings.TrimSpace(target)
		if method, glob, ok := strings.Cut(target, " "); ok {
			r.Method = strings.ToUpper(method)
			switch r.Method {
			case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
			default:
				return r, fmt.Errorf("unknown method %q", method)
			}
			target = strings.TrimSpace(glob)
		}
		if !strings.HasPrefix(target, "/") {
			return r, fmt.Errorf("path glob %q must start with /", target)
		}
		if _, err := path.Match(target, "/"); err != nil {
			return r, fmt.Errorf("bad path glob %q: %w", target, err)
		}
		r.Glob = cleanPath(target)
	}
	return r, nil
}

func (r FaultRule) matches(method, p string) bool {
	if r.Method != "" && r.Method != method {
		return false
	}
	if r.Glob == "" {
		return strings.HasPrefix(p, "/api/")
	}
	ok, _ := path.Match(r.Glob, p)
	return ok
}

// faultKind is what happens to a request besides latency.
type faultKind int

const (
	faultNone faultKind = iota
	faultStatus
	faultDropBefore
	faultDropAfter
	faultMalformed
)

type faultAction struct {
	latency time.Duration
	kind    faultKind
	status  int
}

// rollFaults decides the faults for one request.
func (b *Bank) rollFaults(method, p string) faultAction {
	var act faultAction
	if len(b.faults) == 0 {
		return act
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, r := range b.faults {
		if !r.matches(method, p) || b.faultRNG.Float64() >= r.Rate {
			continue
		}
		if r.Kind == "latency" {
			act.latency += r.Latency
			continue
		}
		if act.kind != faultNone {
			continue
		}
		switch r.Kind {
		case "drop-before":
			act.kind = faultDropBefore
		case "drop-after":
			act.kind = faultDropAfter
		case "malformed":
			act.kind = faultMalformed
		default:
			act.kind = faultStatus
			act.status, _ = strconv.Atoi(r.Kind)
		}
	}
	return act
}

func (a faultAction) failure() *failure {
	if a.status == http.StatusTooManyRequests {
		f := fail(a.status, api.CodeRateLimited, "slow down (injected fault)")
		f.retryAfter = 1
		return f
	}
	return fail(a.status, api.CodeServerError, "the bank's server failed (injected fault)")
}
