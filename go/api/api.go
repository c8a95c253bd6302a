// Package api is the agent's local HTTP/JSON API: the types that cross the
// unix socket and a client for them. The CLI uses only this package to talk
// to the agent; the agent serves these types.
package api

import "time"

// SocketName is the API socket's file name inside the data dir.
const SocketName = "yurt.sock"

// Task states.
const (
	StatePending  = "pending"
	StateRunning  = "running"
	StateStopping = "stopping"
	StateExited   = "exited"
	StateFailed   = "failed"
	StateLost     = "lost"
)

// Task is a task as the agent knows it.
type Task struct {
	ID         string              `json:"id"`
	Name       string              `json:"name"`
	Driver     string              `json:"driver"`
	File       string              `json:"file"`
	State      string              `json:"state"`
	ExitCode   *int                `json:"exit_code,omitempty"`
	Signal     int                 `json:"signal,omitempty"`
	OOMKilled  bool                `json:"oom_killed,omitempty"`
	Error      string              `json:"error,omitempty"`
	CreatedAt  time.Time           `json:"created_at"`
	FinishedAt *time.Time          `json:"finished_at,omitempty"`
	Devices    map[string][]string `json:"devices,omitempty"`
	TaskDir    string              `json:"task_dir"`
	// AllocID and AllocDir are the task's allocation and its directory in
	// Nomad's layout (<alloc dir>/<task>/local is NOMAD_TASK_DIR);
	// DriverTaskID is the id the driver knows the task by.
	AllocID      string `json:"alloc_id,omitempty"`
	AllocDir     string `json:"alloc_dir,omitempty"`
	DriverTaskID string `json:"driver_task_id,omitempty"`
	// KillTimeoutMS is the task's kill_timeout in milliseconds.
	KillTimeoutMS int64 `json:"kill_timeout_ms,omitempty"`
}

// Terminal reports whether the task has ended.
func (t Task) Terminal() bool {
	return t.State == StateExited || t.State == StateFailed || t.State == StateLost
}

// RunRequest submits a task file: its name (for error messages) and text.
type RunRequest struct {
	File   string `json:"file"`
	Source string `json:"source"`
}

// RunResponse lists the tasks started from a file.
type RunResponse struct {
	Tasks []Task `json:"tasks"`
}

// SignalRequest sends a signal to a task.
type SignalRequest struct {
	Signal string `json:"signal"`
}

// Error is the body of every non-2xx answer.
type Error struct {
	Error string `json:"error"`
	// Code is the gRPC status code of a plugin's answer (e.g. "NotFound"),
	// whose "rpc error: code = X desc = " framing is removed from Error.
	Code string `json:"code,omitempty"`
}

// Plugin is a loaded (or failed) plugin.
type Plugin struct {
	File              string            `json:"file"`
	Path              string            `json:"path"`
	Name              string            `json:"name,omitempty"`
	Type              string            `json:"type,omitempty"`
	Version           string            `json:"version,omitempty"`
	APIVersion        string            `json:"api_version,omitempty"`
	Pid               int               `json:"pid,omitempty"`
	State             string            `json:"state"`
	Health            string            `json:"health,omitempty"`
	HealthDescription string            `json:"health_description,omitempty"`
	Attributes        map[string]string `json:"attributes,omitempty"`
	Launches          int               `json:"launches"`
	Reattached        bool              `json:"reattached"`
	Error             string            `json:"error,omitempty"`
}

// DeviceGroup is one vendor/type/name group from a device plugin's fingerprint.
type DeviceGroup struct {
	Plugin     string            `json:"plugin"`
	Vendor     string            `json:"vendor"`
	Type       string            `json:"type"`
	Name       string            `json:"name"`
	Attributes map[string]string `json:"attributes,omitempty"`
	Devices    []Device          `json:"devices"`
}

// Device is one device instance.
type Device struct {
	ID                string `json:"id"`
	Healthy           bool   `json:"healthy"`
	HealthDescription string `json:"health_description,omitempty"`
	// ReservedBy is the task ID holding the device, if any.
	ReservedBy string `json:"reserved_by,omitempty"`
}

// Event is one entry of the agent's event log.
type Event struct {
	Time        time.Time         `json:"time"`
	Source      string            `json:"source"`
	TaskID      string            `json:"task_id,omitempty"`
	TaskName    string            `json:"task_name,omitempty"`
	Message     string            `json:"message"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// Stats is one resource usage sample of a task.
type Stats struct {
	TaskID        string    `json:"task_id"`
	Timestamp     time.Time `json:"timestamp"`
	CPUPercent    float64   `json:"cpu_percent"`
	CPUUserMode   float64   `json:"cpu_user_mode"`
	CPUSystemMode float64   `json:"cpu_system_mode"`
	// CPUPercent, CPUUserMode and CPUSystemMode are % of one core over the
	// interval; CPUTotalTicks is MHz used (Nomad's units, client/lib/cpustats).
	CPUTotalTicks float64 `json:"cpu_total_ticks"`
	// CPULimitMHz is the task's cpu resource, the denominator `nomad alloc
	// status -stats` prints total_ticks against.
	CPULimitMHz    int      `json:"cpu_limit_mhz"`
	MemoryRSS      uint64   `json:"memory_rss"`
	MemoryUsage    uint64   `json:"memory_usage"`
	MemoryMaxUsage uint64   `json:"memory_max_usage"`
	MemorySwap     uint64   `json:"memory_swap"`
	CPUMeasured    []string `json:"cpu_measured,omitempty"`
	MemoryMeasured []string `json:"memory_measured,omitempty"`
	Pids           int      `json:"pids"`
}

// LogFrame is one chunk of a log stream, with the position after it so a
// client can resume (e.g. across an agent restart).
type LogFrame struct {
	Data   []byte `json:"data"`
	Index  int    `json:"index"`
	Offset int64  `json:"offset"`
}

// ExecRequest opens an exec session; it is the first frame on the
// upgraded connection.
type ExecRequest struct {
	Command []string `json:"command"`
	TTY     bool     `json:"tty"`
	Width   int32    `json:"width,omitempty"`
	Height  int32    `json:"height,omitempty"`
}

// ExecInput is a client-to-agent frame of an exec session.
type ExecInput struct {
	Stdin  []byte `json:"stdin,omitempty"`
	Close  bool   `json:"close,omitempty"`
	Width  int32  `json:"width,omitempty"`
	Height int32  `json:"height,omitempty"`
}

// ExecOutput is an agent-to-client frame of an exec session.
type ExecOutput struct {
	Stdout   []byte `json:"stdout,omitempty"`
	Stderr   []byte `json:"stderr,omitempty"`
	Exited   bool   `json:"exited,omitempty"`
	ExitCode int    `json:"exit_code,omitempty"`
	Signal   int    `json:"signal,omitempty"`
	Error    string `json:"error,omitempty"`
}
