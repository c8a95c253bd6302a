package allocdir

import (
	"strconv"
	"strings"

	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// Task environment variable names, as in hashicorp/nomad v2.0.5
// client/taskenv/env.go.
const (
	EnvAllocDir     = "NOMAD_ALLOC_DIR"
	EnvTaskDir      = "NOMAD_TASK_DIR"
	EnvSecretsDir   = "NOMAD_SECRETS_DIR"
	EnvMemLimit     = "NOMAD_MEMORY_LIMIT"
	EnvMemMaxLimit  = "NOMAD_MEMORY_MAX_LIMIT"
	EnvCPULimit     = "NOMAD_CPU_LIMIT"
	EnvCPUCores     = "NOMAD_CPU_CORES"
	EnvAllocID      = "NOMAD_ALLOC_ID"
	EnvShortAllocID = "NOMAD_SHORT_ALLOC_ID"
	EnvAllocName    = "NOMAD_ALLOC_NAME"
	EnvAllocIndex   = "NOMAD_ALLOC_INDEX"
	EnvTaskName     = "NOMAD_TASK_NAME"
	EnvGroupName    = "NOMAD_GROUP_NAME"
	EnvJobID        = "NOMAD_JOB_ID"
	EnvJobName      = "NOMAD_JOB_NAME"
	EnvJobParentID  = "NOMAD_JOB_PARENT_ID"
	EnvDatacenter   = "NOMAD_DC"
	EnvNamespace    = "NOMAD_NAMESPACE"
	EnvRegion       = "NOMAD_REGION"
	EnvMetaPrefix   = "NOMAD_META_"
)

// EnvInput is what a task's environment is built from. Zero values are left
// out, as Nomad leaves them out.
type EnvInput struct {
	// Alloc is the task's layout (required).
	Alloc *AllocDir
	// FSIsolation is the driver's capability: NONE gives host paths,
	// CHROOT and IMAGE the in-task paths /alloc, /local and /secrets
	// (client/allocrunner/taskrunner/task_dir_hook.go setEnvvars).
	FSIsolation driver.FSIsolation

	JobID, JobName, JobParentID, GroupName string
	// AllocIndex is the allocation's index in its group; AllocName is
	// "<job id>.<group>[<index>]" when empty (nomad/structs AllocName).
	AllocIndex int
	AllocName  string
	Namespace  string
	Region     string
	Datacenter string

	// CPULimitMHz is the task's cpu resource in MHz, MemoryLimitMB and
	// MemoryMaxMB its memory and memory_max in MB; CPUCores the reserved
	// cores ("0-1,3").
	CPULimitMHz, MemoryLimitMB, MemoryMaxMB int64
	CPUCores                                string

	// Meta becomes NOMAD_META_<key> and NOMAD_META_<KEY>.
	Meta map[string]string
	// TaskEnv is the task's own env block: on top of every variable above.
	TaskEnv map[string]string
	// DeviceEnv comes from device reservations; Nomad's device hook runs
	// after the task env is set, so it goes on top of TaskEnv
	// (client/taskenv/env.go buildEnv: hook envs are copied last).
	DeviceEnv map[string]string
}

// AllocName is Nomad's allocation name "<job>.<group>[<index>]".
func AllocName(jobID, group string, index int) string {
	return jobID + "." + group + "[" + strconv.Itoa(index) + "]"
}

// TaskEnv builds the environment Nomad's task runner puts in
// TaskConfig.env: directories, limits and identity, then meta, then the
// task's env, then the device env.
func TaskEnv(in EnvInput) map[string]string {
	env := map[string]string{}
	set := func(k, v string) {
		if v != "" {
			env[k] = v
		}
	}
	a := in.Alloc
	switch in.FSIsolation {
	case driver.FSIsolationNone:
		set(EnvAllocDir, a.SharedDir)
		set(EnvTaskDir, a.LocalDir)
		set(EnvSecretsDir, a.SecretsDir)
	default:
		set(EnvAllocDir, "/"+SharedAllocName)
		set(EnvTaskDir, "/"+TaskLocal)
		set(EnvSecretsDir, "/"+TaskSecrets)
	}
	num := func(k string, n int64) {
		if n != 0 {
			env[k] = strconv.FormatInt(n, 10)
		}
	}
	num(EnvMemLimit, in.MemoryLimitMB)
	num(EnvMemMaxLimit, in.MemoryMaxMB)
	num(EnvCPULimit, in.CPULimitMHz)
	set(EnvCPUCores, in.CPUCores)
	set(EnvAllocID, a.AllocID)
	if len(a.AllocID) >= 8 {
		env[EnvShortAllocID] = a.AllocID[:8]
	}
	name := in.AllocName
	if name == "" && in.JobID != "" && in.GroupName != "" {
		name = AllocName(in.JobID, in.GroupName, in.AllocIndex)
	}
	set(EnvAllocName, name)
	set(EnvGroupName, in.GroupName)
	env[EnvAllocIndex] = strconv.Itoa(in.AllocIndex)
	set(EnvTaskName, a.TaskName)
	set(EnvJobID, in.JobID)
	set(EnvJobName, in.JobName)
	set(EnvJobParentID, in.JobParentID)
	set(EnvDatacenter, in.Datacenter)
	set(EnvNamespace, in.Namespace)
	set(EnvRegion, in.Region)
	// Meta keys are cleaned as Nomad cleans NOMAD_META_* (helper.CleanEnvVar).
	for k, v := range in.Meta {
		env[cleanEnvName(EnvMetaPrefix+strings.ToUpper(k))] = v
		env[cleanEnvName(EnvMetaPrefix+k)] = v
	}
	for k, v := range in.TaskEnv {
		env[k] = v
	}
	for k, v := range in.DeviceEnv {
		env[k] = v
	}
	return env
}

// cleanEnvName replaces every byte that is not a letter, '_', '.' or (after
// the first byte) a digit with '_' (hashicorp/nomad helper/funcs.go
// CleanEnvVar).
func cleanEnvName(s string) string {
	b := []byte(s)
	for i, c := range b {
		ok := c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9')
		if !ok {
			b[i] = '_'
		}
	}
	return string(b)
}
