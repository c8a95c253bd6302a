// Package driver is the Go SDK for Nomad task drivers: hand-written types
// for everything the Driver service carries, the Driver interface a plugin
// implements, and Defaults, which answers the optional methods. The gRPC
// server that maps them to the wire is internal (go/internal/server).
package driver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin/base"
)

// ErrTaskNotFound is the error for a task ID the driver does not know. Its
// text is matched by Nomad and must not change; return it unwrapped (or
// wrapped: the server sends exactly this text either way).
var ErrTaskNotFound = errors.New("task not found for given id")

// Driver is the Driver service. What a driver must implement is one
// answer: base.Plugin and the required methods below; every optional method
// (the second group) has a default in Defaults, which a driver embeds and
// overrides where it has something to say. The defaults answer exactly what
// the optional-RPC table at the top of driver.proto says (Unimplemented with
// the table's message; TaskEvents: a stream that stays open and sends
// nothing).
type Driver interface {
	base.Plugin

	// Required.

	// TaskConfigSchema is the schema of a task's `config {}` block.
	TaskConfigSchema(ctx context.Context) (*hclspec.Spec, error)
	// Capabilities says which optional features the driver supports; Nomad
	// relies on it (SendSignals requires SignalTask, Exec requires ExecTask and
	// ExecTaskStreaming) and builds the task directory for its FSIsolation.
	Capabilities(ctx context.Context) (*Capabilities, error)
	// Fingerprint sends at once, then on change, until ctx ends; closing
	// the channel ends the stream.
	Fingerprint(ctx context.Context) (<-chan *Fingerprint, error)
	// RecoverTask reattaches to a task in a fresh plugin process using only
	// handle.DriverState (handle.Config.DriverConfig is empty). A task the
	// driver already knows is not an error.
	RecoverTask(ctx context.Context, handle *TaskHandle) error
	// StartTask starts a task; wrap errors with base.NewRecoverableError to
	// let Nomad retry. The returned handle must hold everything RecoverTask
	// needs in DriverState.
	StartTask(ctx context.Context, cfg *TaskConfig) (*TaskHandle, *NetworkOverride, error)
	// WaitTask blocks until the task exits or ctx ends; it may be called
	// many times, also after exit. A driver-side failure while waiting goes
	// in ExitResult.Err; an error return is for calls that cannot wait
	// (unknown task).
	WaitTask(ctx context.Context, taskID string) (*ExitResult, error)
	// StopTask sends signal (empty: the driver's default) and kills the task
	// after timeout. It does not clean up.
	StopTask(ctx context.Context, taskID string, timeout time.Duration, signal string) error
	// DestroyTask cleans up; a running task is an error unless force.
	DestroyTask(ctx context.Context, taskID string, force bool) error
	// InspectTask reports the task's state, times and, once exited, its
	// result. An unknown taskID is ErrTaskNotFound.
	InspectTask(ctx context.Context, taskID string) (*TaskStatus, error)

	// Optional: Defaults answers these.

	// TaskStats sends usage every interval until ctx ends or the task exits.
	TaskStats(ctx context.Context, taskID string, interval time.Duration) (<-chan *TaskStats, error)
	// TaskEvents streams events about any task until ctx ends.
	TaskEvents(ctx context.Context) (<-chan *TaskEvent, error)
	// SignalTask delivers signal, by name ("SIGHUP"), to the task. Required
	// when Capabilities.SendSignals is true (`nomad alloc signal`, templates
	// with change_mode = "signal").
	SignalTask(ctx context.Context, taskID string, signal string) error
	// ExecTask runs command in the task's context; a command that runs and
	// fails is a result with a non-zero exit code, not an error. Required
	// when Capabilities.Exec is true (script checks).
	ExecTask(ctx context.Context, taskID string, command []string, timeout time.Duration) (*ExecResult, error)
	// ExecTaskStreaming runs opts.Command in the task, copying opts.Stdin
	// in and output to opts.Stdout/opts.Stderr until the command exits
	// (`nomad alloc exec`). Required when Capabilities.Exec is true.
	ExecTaskStreaming(ctx context.Context, taskID string, opts *ExecOptions) (*ExitResult, error)
	// CreateNetwork creates the allocation's network namespace and reports
	// whether it created it (false: it already existed). Required when
	// Capabilities.MustCreateNetwork is true.
	CreateNetwork(ctx context.Context, allocID, hostname string) (spec *NetworkIsolationSpec, created bool, err error)
	// DestroyNetwork removes what CreateNetwork created for allocID.
	DestroyNetwork(ctx context.Context, allocID string, spec *NetworkIsolationSpec) error
	// Init is called once after SetConfig; Nomad ignores Unimplemented.
	Init(ctx context.Context) error
	// Shutdown is called with a short deadline (2 s in Nomad) before the
	// agent stops; it MUST NOT stop running tasks. Nomad ignores
	// Unimplemented.
	Shutdown(ctx context.Context) error
}

// ExecOptions describes one streaming exec session.
type ExecOptions struct {
	Command []string
	Tty     bool
	// Stdin ends with io.EOF when the client closes it.
	Stdin io.Reader
	// Stdout and Stderr forward to the client; with Tty, all output goes to
	// Stdout.
	Stdout io.Writer
	Stderr io.Writer
	// Resize delivers terminal size changes; it is closed when the session
	// ends.
	Resize <-chan TerminalSize
}

// TerminalSize is a TTY size in character cells.
type TerminalSize struct {
	Height, Width int
}

// TaskState is a task's lifecycle state.
type TaskState int32

const (
	// TaskStateUnknown: the driver cannot tell.
	TaskStateUnknown TaskState = 0
	// TaskStateRunning: the task's main process is alive.
	TaskStateRunning TaskState = 1
	// TaskStateExited: the task exited; its ExitResult is known.
	TaskStateExited TaskState = 2
)

// String is the state's lower-case name ("running", "exited", "unknown").
func (s TaskState) String() string {
	switch s {
	case TaskStateRunning:
		return "running"
	case TaskStateExited:
		return "exited"
	}
	return "unknown"
}

// TaskConfig is everything the host gives a task.
type TaskConfig struct {
	ID   string
	Name string
	// DriverConfig is the task's `config {}` as cty msgpack; decode it with
	// DecodeDriverConfig.
	DriverConfig []byte
	Env          map[string]string
	DeviceEnv    map[string]string
	Resources    *Resources
	Mounts       []Mount
	Devices      []DeviceMount
	User         string
	AllocDir     string
	// StdoutPath and StderrPath are FIFOs (or files) the driver writes the
	// task's output to.
	StdoutPath       string
	StderrPath       string
	TaskGroupName    string
	JobName          string
	AllocID          string
	NetworkIsolation *NetworkIsolationSpec
	DNS              *DNSConfig
	JobID            string
	Namespace        string
	NodeName         string
	NodeID           string
	ParentJobID      string
}

// DecodeDriverConfig decodes the task's `config {}` into out (see
// base.DecodeConfig); spec is the driver's TaskConfigSchema.
func (c *TaskConfig) DecodeDriverConfig(spec *hclspec.Spec, out any) error {
	if c == nil {
		return fmt.Errorf("decoding task config: no task config (nil)")
	}
	if err := base.DecodeConfig(c.DriverConfig, spec, out); err != nil {
		return fmt.Errorf("task %q: %w", c.ID, err)
	}
	return nil
}

// Resources are the resources allocated to the task.
type Resources struct {
	CPUShares   int64
	MemoryMB    int64
	MemoryMaxMB int64
	Networks    []NetworkResource
	// Linux is nil when the host sends no Linux-specific limits.
	Linux *LinuxResources
	Ports []PortMapping
}

// NetworkResource is one network the task was given: device, addresses,
// bandwidth and its reserved and dynamic ports.
type NetworkResource struct {
	Device        string
	CIDR          string
	IP            string
	MBits         int
	ReservedPorts []Port
	DynamicPorts  []Port
}

// Port is a labelled port number of a NetworkResource.
type Port struct {
	Label string
	Value int
}

// LinuxResources are the Linux limits Nomad computed for the task (cgroup
// CPU period/quota/shares, memory limit, OOM score, cpuset). PercentTicks is
// the task's share of the node's CPU, 0-1.
type LinuxResources struct {
	CPUPeriod        int64
	CPUQuota         int64
	CPUShares        int64
	MemoryLimitBytes int64
	OOMScoreAdj      int64
	CpusetCPUs       string
	PercentTicks     float64
	CpusetCgroup     string
}

// PortMapping maps a labelled host port (Value, on HostIP) to the port the
// task listens on (To).
type PortMapping struct {
	Label  string
	Value  int
	To     int
	HostIP string
}

// Mount is a host path (volume) to make visible at TaskPath in the task.
type Mount struct {
	TaskPath        string
	HostPath        string
	ReadOnly        bool
	PropagationMode string
	SELinuxLabel    string
	RequestName     string
}

// DeviceMount is a device node to expose in the task, with its cgroup
// permissions ("rwm").
type DeviceMount struct {
	TaskPath          string
	HostPath          string
	CgroupPermissions string
}

// NetIsolationMode is a network isolation mode a driver supports and a
// task's network runs in.
type NetIsolationMode int32

const (
	// NetIsolationHost: the host's network namespace.
	NetIsolationHost NetIsolationMode = 0
	// NetIsolationGroup: one namespace shared by the task group (bridge mode).
	NetIsolationGroup NetIsolationMode = 1
	// NetIsolationTask: a namespace per task, made by the driver.
	NetIsolationTask NetIsolationMode = 2
	// NetIsolationNone: no network at all.
	NetIsolationNone NetIsolationMode = 3
)

// NetworkIsolationSpec is the network namespace a task joins: its mode, the
// namespace path and labels.
type NetworkIsolationSpec struct {
	Mode   NetIsolationMode
	Path   string
	Labels map[string]string
	// Hosts is nil when no hosts file entry is requested.
	Hosts *HostsConfig
}

// HostsConfig is the /etc/hosts entry to write for the task.
type HostsConfig struct {
	Hostname string
	Address  string
}

// DNSConfig is the task's resolver configuration (resolv.conf).
type DNSConfig struct {
	Servers  []string
	Searches []string
	Options  []string
}

// TaskHandle is what the host stores for a task and gives back to
// RecoverTask.
type TaskHandle struct {
	// Version is the driver's handle format version; 0 is reserved.
	Version     int
	Config      *TaskConfig
	State       TaskState
	DriverState []byte
}

// SetDriverState stores v, JSON-encoded, as the handle's driver state.
func (h *TaskHandle) SetDriverState(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding driver state: %w", err)
	}
	h.DriverState = b
	return nil
}

// GetDriverState decodes driver state stored by SetDriverState into out.
func (h *TaskHandle) GetDriverState(out any) error {
	if h == nil || len(h.DriverState) == 0 {
		return errors.New("decoding driver state: handle has no driver state")
	}
	if err := json.Unmarshal(h.DriverState, out); err != nil {
		return fmt.Errorf("decoding driver state: %w", err)
	}
	return nil
}

// NetworkOverride is what a driver that sets up its own networking tells
// Nomad about it: the port map, the address to advertise and whether to
// advertise it automatically.
type NetworkOverride struct {
	PortMap       map[string]int
	Addr          string
	AutoAdvertise bool
}

// ExitResult is how a task or exec ended. Signal is the signal that killed
// it (0 if none).
type ExitResult struct {
	ExitCode  int
	Signal    int
	OOMKilled bool
	// Err is a driver-side error while waiting; it travels as text.
	Err error
}

// Successful reports a zero exit code, no signal, no OOM kill.
func (r *ExitResult) Successful() bool {
	return r != nil && r.ExitCode == 0 && r.Signal == 0 && !r.OOMKilled && r.Err == nil
}

// TaskStatus is InspectTask's answer.
type TaskStatus struct {
	ID          string
	Name        string
	State       TaskState
	StartedAt   time.Time
	CompletedAt time.Time
	// ExitResult is set once the task exited.
	ExitResult       *ExitResult
	DriverAttributes map[string]string
	NetworkOverride  *NetworkOverride
}

// FSIsolation is how the driver isolates a task's filesystem; Nomad builds
// the task directory to match.
type FSIsolation int32

const (
	// FSIsolationNone: the task sees the host filesystem.
	FSIsolationNone FSIsolation = 0
	// FSIsolationChroot: Nomad builds a chroot from the client's chroot_env.
	FSIsolationChroot FSIsolation = 1
	// FSIsolationImage: the driver brings its own root filesystem (containers).
	FSIsolationImage FSIsolation = 2
	// FSIsolationUnveil: unveil(2)-style path restrictions.
	FSIsolationUnveil FSIsolation = 3
)

// MountConfigs says whether the driver supports a job's volume mounts.
type MountConfigs int32

const (
	// MountConfigsAny: any mounts.
	MountConfigsAny MountConfigs = 0
	// MountConfigsNone: no mounts; Nomad rejects jobs that ask for them.
	MountConfigsNone MountConfigs = 1
)

// Capabilities is the driver's answer to the Capabilities call: which
// optional RPCs it implements (SendSignals, Exec), how it isolates
// filesystems and networks, and whether Nomad should skip log collection
// (DisableLogCollection) or may give tasks dynamic users.
type Capabilities struct {
	SendSignals          bool
	Exec                 bool
	FSIsolation          FSIsolation
	NetIsolationModes    []NetIsolationMode
	MustCreateNetwork    bool
	MountConfigs         MountConfigs
	DisableLogCollection bool
	DynamicWorkloadUsers bool
}

// HealthState is a driver's health in a Fingerprint; Nomad schedules tasks
// only on healthy drivers.
type HealthState int32

const (
	// HealthStateUndetected: what the driver needs is absent on this node.
	HealthStateUndetected HealthState = 0
	// HealthStateUnhealthy: detected but not usable; see HealthDescription.
	HealthStateUnhealthy HealthState = 1
	// HealthStateHealthy: ready to run tasks.
	HealthStateHealthy HealthState = 2
)

// Fingerprint is one driver fingerprint; Attributes are copied verbatim into
// the node's attributes (conventionally "driver.<name>.<key>").
type Fingerprint struct {
	Attributes        map[string]*base.Attribute
	Health            HealthState
	HealthDescription string
	// Err marks the driver unhealthy with this message.
	Err error
}
