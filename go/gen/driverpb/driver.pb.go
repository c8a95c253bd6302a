// Yurt contracts: Nomad plugin API v0.1.0, the task driver service.
//
// Written for Yurt from the wire facts of Nomad's plugin API. The package,
// service, message and field names and numbers below are fixed by the wire and
// MUST NOT change: a Nomad agent calls them by these names.
//
// What Nomad actually sends and decodes is the referee for every comment
// here (hashicorp/nomad v2.0.5 plugins/drivers/client.go and utils.go,
// client/allocrunner/taskrunner/). Where a comment and Nomad's code disagree,
// Nomad's code wins.
//
// Error conventions, for every RPC here:
//   - A plain failure is a gRPC status with code Unknown and a message that
//     says what went wrong. Nomad's Go plugin server sends every plain Go
//     error this way; nothing maps errors to other codes.
//   - A call naming a task the driver does not know MUST fail with a message
//     containing exactly "task not found for given id" (Nomad's
//     drivers.ErrTaskNotFound text). Nomad's client compares that error by Go
//     identity, so over gRPC it never matches: hosts and tools match the text.
//   - StartTask and TaskStats MAY attach a
//     hashicorp.nomad.plugins.shared.structs.RecoverableError as the first
//     status detail (code FailedPrecondition) to say whether a retry can work.
//   - An RPC marked optional below MAY return Unimplemented; hosts ignore it.
//
// Error kinds: the one vocabulary of the Go, Python and Rust SDKs (also for
// BasePlugin and DevicePlugin). spec/vectors/errors.json, cut from the Go SDK,
// holds each kind's code and message; all three SDK test suites check it.
//   kind            code                message
//   TaskNotFound    Unknown             exactly "task not found for given id"
//   Recoverable     FailedPrecondition  the text, + RecoverableError{recoverable}
//                   (recoverable false: a fatal StartTask failure)
//   InvalidConfig   Unknown             names the field, e.g. config.port[0].to
//                   (config bytes that do not decode: a plain error, as Nomad's
//                   Go plugins send it)
//   InvalidRequest  InvalidArgument     the request's shape is wrong (no task
//                   handle, an exec stream without its setup message)
//   Unsupported     Unknown             "<RPC> is not supported by this
//                   driver|plugin": the plugin's own answer for SignalTask or
//                   ExecTask when its Capabilities say it cannot (Nomad's
//                   drivers answer so)
//   Unimplemented   Unimplemented       the SDK's default for an RPC the plugin
//                   leaves out (the optional-RPC table below)
//   Plain           Unknown             the error's text
// Spelled per SDK:
//   Go      driver.ErrTaskNotFound, base.RecoverableError, base.DecodeConfig's
//           errors, status InvalidArgument, a plain error, Unimplemented for a
//           missing optional interface (driver.Initializer, ...), a plain error
//   Python  TaskNotFoundError, RecoverableError, ConfigError,
//           InvalidRequestError, PluginError("... is not supported ..."),
//           NotImplementedError, PluginError (or any exception)
//   Rust    Error::TaskNotFound, Error::Recoverable, Error::InvalidConfig,
//           Error::InvalidArgument, Error::Unsupported, Error::Unimplemented,
//           Error::Other
//
// Optional RPCs, the one table (the Go, Python and Rust SDKs and the
// conformance harness follow it). "SDK default" is what a plugin written
// with a Yurt SDK answers when it does not implement the method; every
// default is code Unimplemented. Nomad's side is hashicorp/nomad v2.0.5
// plugins/drivers/client.go (every error goes through
// grpcutils.HandleGrpcErr; nothing there special-cases Unimplemented except
// Init and Shutdown, in client/pluginmanager/drivermanager/instance.go).
//
//   RPC                required?                      SDK default (Unimplemented, message)             what Nomad does with it
//   TaskConfigSchema   required                       -                                                -
//   Capabilities       required                       -                                                -
//   Fingerprint        required                       -                                                -
//   RecoverTask        required                       -                                                see "Recovery" below
//   StartTask          required                       -                                                -
//   WaitTask           required                       -                                                -
//   StopTask           required                       -                                                -
//   DestroyTask        required                       -                                                -
//   InspectTask        required                       -                                                -
//   TaskStats          optional                       "stats not implemented for driver"               logs it; retries with back-off (the
//                                                                                                     text is Nomad's DriverStatsNotImplemented)
//   TaskEvents         optional                       no error: a stream that stays open, sends        keeps the stream open
//                                                     nothing, and ends at plugin shutdown
//   SignalTask         required if send_signals       "SignalTask is not supported by this driver"     called only when send_signals is true;
//                                                                                                     the error reaches the user
//   ExecTask           required if exec               "ExecTask is not supported by this driver"       called only when exec is true (script
//                                                                                                     checks); the error reaches the user
//   ExecTaskStreaming  required if exec               "ExecTaskStreaming is not supported by this      called only when exec is true
//                                                     driver"
//   CreateNetwork      required if must_create_network "CreateNetwork is not implemented by this       called only when must_create_network
//   DestroyNetwork                                    driver" (and DestroyNetwork likewise)
//   Init               optional                       "Init is not implemented by this driver"         ignores Unimplemented
//   Shutdown           optional                       "Shutdown is not implemented by this driver"     ignores Unimplemented
//
// The Python SDK answers Init and Shutdown itself, with OK: it has no Init
// hook for a plugin (Init does nothing), and Shutdown runs the SDK's own
// shutdown (held streams end, the server stops). Nomad handles OK and
// Unimplemented alike for both.
//
// The conformance harness requires every "required" row, requires a
// "required if" row exactly when the capability is set (and that the RPC
// fails when it is not), and skips task-stats cases on a plugin whose
// TaskStats answers Unimplemented.
//
// Recovery: RecoverTask MUST succeed for a task the driver can still control
// (including one it already knows, and in a fresh plugin process from
// handle.driver_state alone), and MUST fail when the task cannot be found or
// controlled again. On a failure Nomad's client calls DestroyTask(force) and
// the task is lost (client/allocrunner/taskrunner/task_runner.go).

// Code generated by protoc-gen-go. DO NOT EDIT.
// versions:
// 	protoc-gen-go v1.36.12-devel
// 	protoc        (unknown)
// source: hashicorp/nomad/plugins/drivers/proto/driver.proto

package driverpb

import (
	hclspecpb "github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	structspb "github.com/yurt-sdk/yurt/go/gen/structspb"
	protoreflect "google.golang.org/protobuf/reflect/protoreflect"
	protoimpl "google.golang.org/protobuf/runtime/protoimpl"
	durationpb "google.golang.org/protobuf/types/known/durationpb"
	timestamppb "google.golang.org/protobuf/types/known/timestamppb"
	reflect "reflect"
	sync "sync"
	unsafe "unsafe"
)

const (
	// Verify that this generated code is sufficiently up-to-date.
	_ = protoimpl.EnforceVersion(20 - protoimpl.MinVersion)
	// Verify that runtime/protoimpl is sufficiently up-to-date.
	_ = protoimpl.EnforceVersion(protoimpl.MaxVersion - 20)
)

// TaskState is the coarse state of a task.
type TaskState int32

const (
	// UNKNOWN: the driver cannot tell.
	TaskState_UNKNOWN TaskState = 0
	// RUNNING: the task is running.
	TaskState_RUNNING TaskState = 1
	// EXITED: the task has exited; TaskStatus.result is set.
	TaskState_EXITED TaskState = 2
)

// Enum value maps for TaskState.
var (
	TaskState_name = map[int32]string{
		0: "UNKNOWN",
		1: "RUNNING",
		2: "EXITED",
	}
	TaskState_value = map[string]int32{
		"UNKNOWN": 0,
		"RUNNING": 1,
		"EXITED":  2,
	}
)

func (x TaskState) Enum() *TaskState {
	p := new(TaskState)
	*p = x
	return p
}

func (x TaskState) String() string {
	return protoimpl.X.EnumStringOf(x.Descriptor(), protoreflect.EnumNumber(x))
}

func (TaskState) Descriptor() protoreflect.EnumDescriptor {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[0].Descriptor()
}

func (TaskState) Type() protoreflect.EnumType {
	return &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[0]
}

func (x TaskState) Number() protoreflect.EnumNumber {
	return protoreflect.EnumNumber(x)
}

// Deprecated: Use TaskState.Descriptor instead.
func (TaskState) EnumDescriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{0}
}

// FSIsolation is how a task's filesystem is separated from the host.
type DriverCapabilities_FSIsolation int32

const (
	// NONE: the task sees the host's filesystem.
	DriverCapabilities_NONE DriverCapabilities_FSIsolation = 0
	// CHROOT: the task runs chrooted in its allocation directory.
	DriverCapabilities_CHROOT DriverCapabilities_FSIsolation = 1
	// IMAGE: the task runs in its own image (containers, VMs).
	DriverCapabilities_IMAGE DriverCapabilities_FSIsolation = 2
	// UNVEIL: the task sees only paths unveiled to it.
	DriverCapabilities_UNVEIL DriverCapabilities_FSIsolation = 3
)

// Enum value maps for DriverCapabilities_FSIsolation.
var (
	DriverCapabilities_FSIsolation_name = map[int32]string{
		0: "NONE",
		1: "CHROOT",
		2: "IMAGE",
		3: "UNVEIL",
	}
	DriverCapabilities_FSIsolation_value = map[string]int32{
		"NONE":   0,
		"CHROOT": 1,
		"IMAGE":  2,
		"UNVEIL": 3,
	}
)

func (x DriverCapabilities_FSIsolation) Enum() *DriverCapabilities_FSIsolation {
	p := new(DriverCapabilities_FSIsolation)
	*p = x
	return p
}

func (x DriverCapabilities_FSIsolation) String() string {
	return protoimpl.X.EnumStringOf(x.Descriptor(), protoreflect.EnumNumber(x))
}

func (DriverCapabilities_FSIsolation) Descriptor() protoreflect.EnumDescriptor {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[1].Descriptor()
}

func (DriverCapabilities_FSIsolation) Type() protoreflect.EnumType {
	return &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[1]
}

func (x DriverCapabilities_FSIsolation) Number() protoreflect.EnumNumber {
	return protoreflect.EnumNumber(x)
}

// Deprecated: Use DriverCapabilities_FSIsolation.Descriptor instead.
func (DriverCapabilities_FSIsolation) EnumDescriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{4, 0}
}

// MountConfigs says whether a task may ask for host volume mounts.
type DriverCapabilities_MountConfigs int32

const (
	// ANY_MOUNTS: mounts are supported.
	DriverCapabilities_ANY_MOUNTS DriverCapabilities_MountConfigs = 0
	// NO_MOUNTS: the driver cannot mount volumes.
	DriverCapabilities_NO_MOUNTS DriverCapabilities_MountConfigs = 1
)

// Enum value maps for DriverCapabilities_MountConfigs.
var (
	DriverCapabilities_MountConfigs_name = map[int32]string{
		0: "ANY_MOUNTS",
		1: "NO_MOUNTS",
	}
	DriverCapabilities_MountConfigs_value = map[string]int32{
		"ANY_MOUNTS": 0,
		"NO_MOUNTS":  1,
	}
)

func (x DriverCapabilities_MountConfigs) Enum() *DriverCapabilities_MountConfigs {
	p := new(DriverCapabilities_MountConfigs)
	*p = x
	return p
}

func (x DriverCapabilities_MountConfigs) String() string {
	return protoimpl.X.EnumStringOf(x.Descriptor(), protoreflect.EnumNumber(x))
}

func (DriverCapabilities_MountConfigs) Descriptor() protoreflect.EnumDescriptor {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[2].Descriptor()
}

func (DriverCapabilities_MountConfigs) Type() protoreflect.EnumType {
	return &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[2]
}

func (x DriverCapabilities_MountConfigs) Number() protoreflect.EnumNumber {
	return protoreflect.EnumNumber(x)
}

// Deprecated: Use DriverCapabilities_MountConfigs.Descriptor instead.
func (DriverCapabilities_MountConfigs) EnumDescriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{4, 1}
}

// HealthState of the driver.
type FingerprintResponse_HealthState int32

const (
	// UNDETECTED: what the driver needs is absent (e.g. no container
	// runtime); the host hides the driver.
	FingerprintResponse_UNDETECTED FingerprintResponse_HealthState = 0
	// UNHEALTHY: what it needs is present but not working.
	FingerprintResponse_UNHEALTHY FingerprintResponse_HealthState = 1
	// HEALTHY: the driver can run tasks.
	FingerprintResponse_HEALTHY FingerprintResponse_HealthState = 2
)

// Enum value maps for FingerprintResponse_HealthState.
var (
	FingerprintResponse_HealthState_name = map[int32]string{
		0: "UNDETECTED",
		1: "UNHEALTHY",
		2: "HEALTHY",
	}
	FingerprintResponse_HealthState_value = map[string]int32{
		"UNDETECTED": 0,
		"UNHEALTHY":  1,
		"HEALTHY":    2,
	}
)

func (x FingerprintResponse_HealthState) Enum() *FingerprintResponse_HealthState {
	p := new(FingerprintResponse_HealthState)
	*p = x
	return p
}

func (x FingerprintResponse_HealthState) String() string {
	return protoimpl.X.EnumStringOf(x.Descriptor(), protoreflect.EnumNumber(x))
}

func (FingerprintResponse_HealthState) Descriptor() protoreflect.EnumDescriptor {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[3].Descriptor()
}

func (FingerprintResponse_HealthState) Type() protoreflect.EnumType {
	return &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[3]
}

func (x FingerprintResponse_HealthState) Number() protoreflect.EnumNumber {
	return protoreflect.EnumNumber(x)
}

// Deprecated: Use FingerprintResponse_HealthState.Descriptor instead.
func (FingerprintResponse_HealthState) EnumDescriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{6, 0}
}

// Result of a start, kept for wire compatibility. Hosts read errors from the
// gRPC status instead; drivers SHOULD leave this SUCCESS and fail the RPC.
type StartTaskResponse_Result int32

const (
	// SUCCESS: the task started.
	StartTaskResponse_SUCCESS StartTaskResponse_Result = 0
	// RETRY: the start failed and may succeed later.
	StartTaskResponse_RETRY StartTaskResponse_Result = 1
	// FATAL: the start failed for good.
	StartTaskResponse_FATAL StartTaskResponse_Result = 2
)

// Enum value maps for StartTaskResponse_Result.
var (
	StartTaskResponse_Result_name = map[int32]string{
		0: "SUCCESS",
		1: "RETRY",
		2: "FATAL",
	}
	StartTaskResponse_Result_value = map[string]int32{
		"SUCCESS": 0,
		"RETRY":   1,
		"FATAL":   2,
	}
)

func (x StartTaskResponse_Result) Enum() *StartTaskResponse_Result {
	p := new(StartTaskResponse_Result)
	*p = x
	return p
}

func (x StartTaskResponse_Result) String() string {
	return protoimpl.X.EnumStringOf(x.Descriptor(), protoreflect.EnumNumber(x))
}

func (StartTaskResponse_Result) Descriptor() protoreflect.EnumDescriptor {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[4].Descriptor()
}

func (StartTaskResponse_Result) Type() protoreflect.EnumType {
	return &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[4]
}

func (x StartTaskResponse_Result) Number() protoreflect.EnumNumber {
	return protoreflect.EnumNumber(x)
}

// Deprecated: Use StartTaskResponse_Result.Descriptor instead.
func (StartTaskResponse_Result) EnumDescriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{10, 0}
}

// NetworkIsolationMode is the kind of network isolation.
type NetworkIsolationSpec_NetworkIsolationMode int32

const (
	// HOST: the host's network.
	NetworkIsolationSpec_HOST NetworkIsolationSpec_NetworkIsolationMode = 0
	// GROUP: a namespace shared by the allocation's tasks.
	NetworkIsolationSpec_GROUP NetworkIsolationSpec_NetworkIsolationMode = 1
	// TASK: a namespace per task, created by the driver.
	NetworkIsolationSpec_TASK NetworkIsolationSpec_NetworkIsolationMode = 2
	// NONE: no network.
	NetworkIsolationSpec_NONE NetworkIsolationSpec_NetworkIsolationMode = 3
)

// Enum value maps for NetworkIsolationSpec_NetworkIsolationMode.
var (
	NetworkIsolationSpec_NetworkIsolationMode_name = map[int32]string{
		0: "HOST",
		1: "GROUP",
		2: "TASK",
		3: "NONE",
	}
	NetworkIsolationSpec_NetworkIsolationMode_value = map[string]int32{
		"HOST":  0,
		"GROUP": 1,
		"TASK":  2,
		"NONE":  3,
	}
)

func (x NetworkIsolationSpec_NetworkIsolationMode) Enum() *NetworkIsolationSpec_NetworkIsolationMode {
	p := new(NetworkIsolationSpec_NetworkIsolationMode)
	*p = x
	return p
}

func (x NetworkIsolationSpec_NetworkIsolationMode) String() string {
	return protoimpl.X.EnumStringOf(x.Descriptor(), protoreflect.EnumNumber(x))
}

func (NetworkIsolationSpec_NetworkIsolationMode) Descriptor() protoreflect.EnumDescriptor {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[5].Descriptor()
}

func (NetworkIsolationSpec_NetworkIsolationMode) Type() protoreflect.EnumType {
	return &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[5]
}

func (x NetworkIsolationSpec_NetworkIsolationMode) Number() protoreflect.EnumNumber {
	return protoreflect.EnumNumber(x)
}

// Deprecated: Use NetworkIsolationSpec_NetworkIsolationMode.Descriptor instead.
func (NetworkIsolationSpec_NetworkIsolationMode) EnumDescriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{48, 0}
}

// Fields names the measured fields.
type CPUUsage_Fields int32

const (
	// SYSTEM_MODE: system_mode is set.
	CPUUsage_SYSTEM_MODE CPUUsage_Fields = 0
	// USER_MODE: user_mode is set.
	CPUUsage_USER_MODE CPUUsage_Fields = 1
	// TOTAL_TICKS: total_ticks is set.
	CPUUsage_TOTAL_TICKS CPUUsage_Fields = 2
	// THROTTLED_PERIODS: throttled_periods is set.
	CPUUsage_THROTTLED_PERIODS CPUUsage_Fields = 3
	// THROTTLED_TIME: throttled_time is set.
	CPUUsage_THROTTLED_TIME CPUUsage_Fields = 4
	// PERCENT: percent is set.
	CPUUsage_PERCENT CPUUsage_Fields = 5
)

// Enum value maps for CPUUsage_Fields.
var (
	CPUUsage_Fields_name = map[int32]string{
		0: "SYSTEM_MODE",
		1: "USER_MODE",
		2: "TOTAL_TICKS",
		3: "THROTTLED_PERIODS",
		4: "THROTTLED_TIME",
		5: "PERCENT",
	}
	CPUUsage_Fields_value = map[string]int32{
		"SYSTEM_MODE":       0,
		"USER_MODE":         1,
		"TOTAL_TICKS":       2,
		"THROTTLED_PERIODS": 3,
		"THROTTLED_TIME":    4,
		"PERCENT":           5,
	}
)

func (x CPUUsage_Fields) Enum() *CPUUsage_Fields {
	p := new(CPUUsage_Fields)
	*p = x
	return p
}

func (x CPUUsage_Fields) String() string {
	return protoimpl.X.EnumStringOf(x.Descriptor(), protoreflect.EnumNumber(x))
}

func (CPUUsage_Fields) Descriptor() protoreflect.EnumDescriptor {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[6].Descriptor()
}

func (CPUUsage_Fields) Type() protoreflect.EnumType {
	return &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[6]
}

func (x CPUUsage_Fields) Number() protoreflect.EnumNumber {
	return protoreflect.EnumNumber(x)
}

// Deprecated: Use CPUUsage_Fields.Descriptor instead.
func (CPUUsage_Fields) EnumDescriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{58, 0}
}

// Fields names the measured fields.
type MemoryUsage_Fields int32

const (
	// RSS: rss is set.
	MemoryUsage_RSS MemoryUsage_Fields = 0
	// CACHE: cache is set.
	MemoryUsage_CACHE MemoryUsage_Fields = 1
	// MAX_USAGE: max_usage is set.
	MemoryUsage_MAX_USAGE MemoryUsage_Fields = 2
	// KERNEL_USAGE: kernel_usage is set.
	MemoryUsage_KERNEL_USAGE MemoryUsage_Fields = 3
	// KERNEL_MAX_USAGE: kernel_max_usage is set.
	MemoryUsage_KERNEL_MAX_USAGE MemoryUsage_Fields = 4
	// USAGE: usage is set.
	MemoryUsage_USAGE MemoryUsage_Fields = 5
	// SWAP: swap is set.
	MemoryUsage_SWAP MemoryUsage_Fields = 6
)

// Enum value maps for MemoryUsage_Fields.
var (
	MemoryUsage_Fields_name = map[int32]string{
		0: "RSS",
		1: "CACHE",
		2: "MAX_USAGE",
		3: "KERNEL_USAGE",
		4: "KERNEL_MAX_USAGE",
		5: "USAGE",
		6: "SWAP",
	}
	MemoryUsage_Fields_value = map[string]int32{
		"RSS":              0,
		"CACHE":            1,
		"MAX_USAGE":        2,
		"KERNEL_USAGE":     3,
		"KERNEL_MAX_USAGE": 4,
		"USAGE":            5,
		"SWAP":             6,
	}
)

func (x MemoryUsage_Fields) Enum() *MemoryUsage_Fields {
	p := new(MemoryUsage_Fields)
	*p = x
	return p
}

func (x MemoryUsage_Fields) String() string {
	return protoimpl.X.EnumStringOf(x.Descriptor(), protoreflect.EnumNumber(x))
}

func (MemoryUsage_Fields) Descriptor() protoreflect.EnumDescriptor {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[7].Descriptor()
}

func (MemoryUsage_Fields) Type() protoreflect.EnumType {
	return &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[7]
}

func (x MemoryUsage_Fields) Number() protoreflect.EnumNumber {
	return protoreflect.EnumNumber(x)
}

// Deprecated: Use MemoryUsage_Fields.Descriptor instead.
func (MemoryUsage_Fields) EnumDescriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{59, 0}
}

// TaskConfigSchemaRequest is empty.
type TaskConfigSchemaRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *TaskConfigSchemaRequest) Reset() {
	*x = TaskConfigSchemaRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[0]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *TaskConfigSchemaRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*TaskConfigSchemaRequest) ProtoMessage() {}

func (x *TaskConfigSchemaRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[0]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use TaskConfigSchemaRequest.ProtoReflect.Descriptor instead.
func (*TaskConfigSchemaRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{0}
}

// TaskConfigSchemaResponse carries the task config schema.
type TaskConfigSchemaResponse struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// spec of a task's `config {}` block; unset means no config is accepted.
	Spec          *hclspecpb.Spec `protobuf:"bytes,1,opt,name=spec,proto3" json:"spec,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *TaskConfigSchemaResponse) Reset() {
	*x = TaskConfigSchemaResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[1]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *TaskConfigSchemaResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*TaskConfigSchemaResponse) ProtoMessage() {}

func (x *TaskConfigSchemaResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[1]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use TaskConfigSchemaResponse.ProtoReflect.Descriptor instead.
func (*TaskConfigSchemaResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{1}
}

func (x *TaskConfigSchemaResponse) GetSpec() *hclspecpb.Spec {
	if x != nil {
		return x.Spec
	}
	return nil
}

// CapabilitiesRequest is empty.
type CapabilitiesRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CapabilitiesRequest) Reset() {
	*x = CapabilitiesRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[2]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CapabilitiesRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CapabilitiesRequest) ProtoMessage() {}

func (x *CapabilitiesRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[2]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CapabilitiesRequest.ProtoReflect.Descriptor instead.
func (*CapabilitiesRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{2}
}

// CapabilitiesResponse carries the driver's capabilities.
type CapabilitiesResponse struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// capabilities of the driver; unset means all false and defaults.
	Capabilities  *DriverCapabilities `protobuf:"bytes,1,opt,name=capabilities,proto3" json:"capabilities,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CapabilitiesResponse) Reset() {
	*x = CapabilitiesResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[3]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CapabilitiesResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CapabilitiesResponse) ProtoMessage() {}

func (x *CapabilitiesResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[3]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CapabilitiesResponse.ProtoReflect.Descriptor instead.
func (*CapabilitiesResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{3}
}

func (x *CapabilitiesResponse) GetCapabilities() *DriverCapabilities {
	if x != nil {
		return x.Capabilities
	}
	return nil
}

// DriverCapabilities are the optional features a driver has.
type DriverCapabilities struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// send_signals: SignalTask is implemented.
	SendSignals bool `protobuf:"varint,1,opt,name=send_signals,json=sendSignals,proto3" json:"send_signals,omitempty"`
	// exec: ExecTask and ExecTaskStreaming are implemented.
	Exec bool `protobuf:"varint,2,opt,name=exec,proto3" json:"exec,omitempty"`
	// fs_isolation of tasks.
	FsIsolation DriverCapabilities_FSIsolation `protobuf:"varint,3,opt,name=fs_isolation,json=fsIsolation,proto3,enum=hashicorp.nomad.plugins.drivers.proto.DriverCapabilities_FSIsolation" json:"fs_isolation,omitempty"`
	// network_isolation_modes the driver supports; empty means HOST only.
	NetworkIsolationModes []NetworkIsolationSpec_NetworkIsolationMode `protobuf:"varint,4,rep,packed,name=network_isolation_modes,json=networkIsolationModes,proto3,enum=hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec_NetworkIsolationMode" json:"network_isolation_modes,omitempty"`
	// must_create_network: the host MUST call CreateNetwork before tasks start.
	MustCreateNetwork bool `protobuf:"varint,5,opt,name=must_create_network,json=mustCreateNetwork,proto3" json:"must_create_network,omitempty"`
	// mount_configs support.
	MountConfigs DriverCapabilities_MountConfigs `protobuf:"varint,6,opt,name=mount_configs,json=mountConfigs,proto3,enum=hashicorp.nomad.plugins.drivers.proto.DriverCapabilities_MountConfigs" json:"mount_configs,omitempty"`
	// disable_log_collection: the driver collects task logs itself; the host
	// does not read the stdout/stderr FIFOs.
	DisableLogCollection bool `protobuf:"varint,8,opt,name=disable_log_collection,json=disableLogCollection,proto3" json:"disable_log_collection,omitempty"`
	// dynamic_workload_users: the driver can run tasks as per-task users.
	DynamicWorkloadUsers bool `protobuf:"varint,9,opt,name=dynamic_workload_users,json=dynamicWorkloadUsers,proto3" json:"dynamic_workload_users,omitempty"`
	unknownFields        protoimpl.UnknownFields
	sizeCache            protoimpl.SizeCache
}

func (x *DriverCapabilities) Reset() {
	*x = DriverCapabilities{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[4]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DriverCapabilities) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DriverCapabilities) ProtoMessage() {}

func (x *DriverCapabilities) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[4]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DriverCapabilities.ProtoReflect.Descriptor instead.
func (*DriverCapabilities) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{4}
}

func (x *DriverCapabilities) GetSendSignals() bool {
	if x != nil {
		return x.SendSignals
	}
	return false
}

func (x *DriverCapabilities) GetExec() bool {
	if x != nil {
		return x.Exec
	}
	return false
}

func (x *DriverCapabilities) GetFsIsolation() DriverCapabilities_FSIsolation {
	if x != nil {
		return x.FsIsolation
	}
	return DriverCapabilities_NONE
}

func (x *DriverCapabilities) GetNetworkIsolationModes() []NetworkIsolationSpec_NetworkIsolationMode {
	if x != nil {
		return x.NetworkIsolationModes
	}
	return nil
}

func (x *DriverCapabilities) GetMustCreateNetwork() bool {
	if x != nil {
		return x.MustCreateNetwork
	}
	return false
}

func (x *DriverCapabilities) GetMountConfigs() DriverCapabilities_MountConfigs {
	if x != nil {
		return x.MountConfigs
	}
	return DriverCapabilities_ANY_MOUNTS
}

func (x *DriverCapabilities) GetDisableLogCollection() bool {
	if x != nil {
		return x.DisableLogCollection
	}
	return false
}

func (x *DriverCapabilities) GetDynamicWorkloadUsers() bool {
	if x != nil {
		return x.DynamicWorkloadUsers
	}
	return false
}

// FingerprintRequest is empty.
type FingerprintRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *FingerprintRequest) Reset() {
	*x = FingerprintRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[5]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *FingerprintRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*FingerprintRequest) ProtoMessage() {}

func (x *FingerprintRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[5]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use FingerprintRequest.ProtoReflect.Descriptor instead.
func (*FingerprintRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{5}
}

// FingerprintResponse is the driver's current health and attributes.
type FingerprintResponse struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// attributes are copied verbatim into the node's attributes, conventionally
	// prefixed "driver.<name>." (e.g. "driver.rawexec.version").
	Attributes map[string]*structspb.Attribute `protobuf:"bytes,1,rep,name=attributes,proto3" json:"attributes,omitempty" protobuf_key:"bytes,1,opt,name=key" protobuf_val:"bytes,2,opt,name=value"`
	// health of the driver.
	Health FingerprintResponse_HealthState `protobuf:"varint,2,opt,name=health,proto3,enum=hashicorp.nomad.plugins.drivers.proto.FingerprintResponse_HealthState" json:"health,omitempty"`
	// health_description explains the health to operators.
	HealthDescription string `protobuf:"bytes,3,opt,name=health_description,json=healthDescription,proto3" json:"health_description,omitempty"`
	// err, when set, reports a fingerprinting failure; the host marks the driver
	// unhealthy.
	Err           string `protobuf:"bytes,4,opt,name=err,proto3" json:"err,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *FingerprintResponse) Reset() {
	*x = FingerprintResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[6]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *FingerprintResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*FingerprintResponse) ProtoMessage() {}

func (x *FingerprintResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[6]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use FingerprintResponse.ProtoReflect.Descriptor instead.
func (*FingerprintResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{6}
}

func (x *FingerprintResponse) GetAttributes() map[string]*structspb.Attribute {
	if x != nil {
		return x.Attributes
	}
	return nil
}

func (x *FingerprintResponse) GetHealth() FingerprintResponse_HealthState {
	if x != nil {
		return x.Health
	}
	return FingerprintResponse_UNDETECTED
}

func (x *FingerprintResponse) GetHealthDescription() string {
	if x != nil {
		return x.HealthDescription
	}
	return ""
}

func (x *FingerprintResponse) GetErr() string {
	if x != nil {
		return x.Err
	}
	return ""
}

// RecoverTaskRequest asks the driver to re-attach to a task.
type RecoverTaskRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// task_id is EMPTY when Nomad sends the request: its client builds
	// RecoverTaskRequest{Handle: ...} only (plugins/drivers/client.go
	// RecoverTask). A driver MUST take the id from handle.config.id and MAY use
	// task_id only as a fallback when handle.config.id is empty.
	TaskId string `protobuf:"bytes,1,opt,name=task_id,json=taskId,proto3" json:"task_id,omitempty"`
	// handle exactly as StartTask returned it, except that
	// handle.config.msgpack_driver_config is empty (Nomad persists the handle
	// without it).
	Handle        *TaskHandle `protobuf:"bytes,2,opt,name=handle,proto3" json:"handle,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *RecoverTaskRequest) Reset() {
	*x = RecoverTaskRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[7]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *RecoverTaskRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*RecoverTaskRequest) ProtoMessage() {}

func (x *RecoverTaskRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[7]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use RecoverTaskRequest.ProtoReflect.Descriptor instead.
func (*RecoverTaskRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{7}
}

func (x *RecoverTaskRequest) GetTaskId() string {
	if x != nil {
		return x.TaskId
	}
	return ""
}

func (x *RecoverTaskRequest) GetHandle() *TaskHandle {
	if x != nil {
		return x.Handle
	}
	return nil
}

// RecoverTaskResponse is empty.
type RecoverTaskResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *RecoverTaskResponse) Reset() {
	*x = RecoverTaskResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[8]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *RecoverTaskResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*RecoverTaskResponse) ProtoMessage() {}

func (x *RecoverTaskResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[8]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use RecoverTaskResponse.ProtoReflect.Descriptor instead.
func (*RecoverTaskResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{8}
}

// StartTaskRequest asks the driver to start a task.
type StartTaskRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// task is everything the host knows about the task.
	Task          *TaskConfig `protobuf:"bytes,1,opt,name=task,proto3" json:"task,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *StartTaskRequest) Reset() {
	*x = StartTaskRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[9]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *StartTaskRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*StartTaskRequest) ProtoMessage() {}

func (x *StartTaskRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[9]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use StartTaskRequest.ProtoReflect.Descriptor instead.
func (*StartTaskRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{9}
}

func (x *StartTaskRequest) GetTask() *TaskConfig {
	if x != nil {
		return x.Task
	}
	return nil
}

// StartTaskResponse carries the new task's handle.
type StartTaskResponse struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// result, see Result.
	Result StartTaskResponse_Result `protobuf:"varint,1,opt,name=result,proto3,enum=hashicorp.nomad.plugins.drivers.proto.StartTaskResponse_Result" json:"result,omitempty"`
	// driver_error_msg explains a non-SUCCESS result.
	DriverErrorMsg string `protobuf:"bytes,2,opt,name=driver_error_msg,json=driverErrorMsg,proto3" json:"driver_error_msg,omitempty"`
	// handle of the started task. MUST be set on success; the host persists it
	// and passes it to RecoverTask later.
	Handle *TaskHandle `protobuf:"bytes,3,opt,name=handle,proto3" json:"handle,omitempty"`
	// network_override tells the host which address and ports the task really
	// uses; unset when the driver does not remap networking.
	NetworkOverride *NetworkOverride `protobuf:"bytes,4,opt,name=network_override,json=networkOverride,proto3" json:"network_override,omitempty"`
	unknownFields   protoimpl.UnknownFields
	sizeCache       protoimpl.SizeCache
}

func (x *StartTaskResponse) Reset() {
	*x = StartTaskResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[10]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *StartTaskResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*StartTaskResponse) ProtoMessage() {}

func (x *StartTaskResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[10]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use StartTaskResponse.ProtoReflect.Descriptor instead.
func (*StartTaskResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{10}
}

func (x *StartTaskResponse) GetResult() StartTaskResponse_Result {
	if x != nil {
		return x.Result
	}
	return StartTaskResponse_SUCCESS
}

func (x *StartTaskResponse) GetDriverErrorMsg() string {
	if x != nil {
		return x.DriverErrorMsg
	}
	return ""
}

func (x *StartTaskResponse) GetHandle() *TaskHandle {
	if x != nil {
		return x.Handle
	}
	return nil
}

func (x *StartTaskResponse) GetNetworkOverride() *NetworkOverride {
	if x != nil {
		return x.NetworkOverride
	}
	return nil
}

// WaitTaskRequest names the task to wait for.
type WaitTaskRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// task_id as given in TaskConfig.id.
	TaskId        string `protobuf:"bytes,1,opt,name=task_id,json=taskId,proto3" json:"task_id,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *WaitTaskRequest) Reset() {
	*x = WaitTaskRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[11]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *WaitTaskRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*WaitTaskRequest) ProtoMessage() {}

func (x *WaitTaskRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[11]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use WaitTaskRequest.ProtoReflect.Descriptor instead.
func (*WaitTaskRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{11}
}

func (x *WaitTaskRequest) GetTaskId() string {
	if x != nil {
		return x.TaskId
	}
	return ""
}

// WaitTaskResponse is the task's exit.
type WaitTaskResponse struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// result of the exit; MUST be set when err is empty.
	Result *ExitResult `protobuf:"bytes,1,opt,name=result,proto3" json:"result,omitempty"`
	// err is a driver-side failure to wait (not the task failing).
	Err           string `protobuf:"bytes,2,opt,name=err,proto3" json:"err,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *WaitTaskResponse) Reset() {
	*x = WaitTaskResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[12]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *WaitTaskResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*WaitTaskResponse) ProtoMessage() {}

func (x *WaitTaskResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[12]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use WaitTaskResponse.ProtoReflect.Descriptor instead.
func (*WaitTaskResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{12}
}

func (x *WaitTaskResponse) GetResult() *ExitResult {
	if x != nil {
		return x.Result
	}
	return nil
}

func (x *WaitTaskResponse) GetErr() string {
	if x != nil {
		return x.Err
	}
	return ""
}

// StopTaskRequest asks the driver to stop a task.
type StopTaskRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// task_id as given in TaskConfig.id.
	TaskId string `protobuf:"bytes,1,opt,name=task_id,json=taskId,proto3" json:"task_id,omitempty"`
	// timeout between the signal and the kill. Unset or zero means kill at once
	// after signalling.
	Timeout *durationpb.Duration `protobuf:"bytes,2,opt,name=timeout,proto3" json:"timeout,omitempty"`
	// signal name, e.g. "SIGTERM"; empty means the driver's default.
	Signal        string `protobuf:"bytes,3,opt,name=signal,proto3" json:"signal,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *StopTaskRequest) Reset() {
	*x = StopTaskRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[13]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *StopTaskRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*StopTaskRequest) ProtoMessage() {}

func (x *StopTaskRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[13]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use StopTaskRequest.ProtoReflect.Descriptor instead.
func (*StopTaskRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{13}
}

func (x *StopTaskRequest) GetTaskId() string {
	if x != nil {
		return x.TaskId
	}
	return ""
}

func (x *StopTaskRequest) GetTimeout() *durationpb.Duration {
	if x != nil {
		return x.Timeout
	}
	return nil
}

func (x *StopTaskRequest) GetSignal() string {
	if x != nil {
		return x.Signal
	}
	return ""
}

// StopTaskResponse is empty.
type StopTaskResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *StopTaskResponse) Reset() {
	*x = StopTaskResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[14]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *StopTaskResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*StopTaskResponse) ProtoMessage() {}

func (x *StopTaskResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[14]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use StopTaskResponse.ProtoReflect.Descriptor instead.
func (*StopTaskResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{14}
}

// DestroyTaskRequest asks the driver to forget a task.
type DestroyTaskRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// task_id as given in TaskConfig.id.
	TaskId string `protobuf:"bytes,1,opt,name=task_id,json=taskId,proto3" json:"task_id,omitempty"`
	// force kills a running task first; without it destroying a running task
	// MUST fail.
	Force         bool `protobuf:"varint,2,opt,name=force,proto3" json:"force,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DestroyTaskRequest) Reset() {
	*x = DestroyTaskRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[15]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DestroyTaskRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DestroyTaskRequest) ProtoMessage() {}

func (x *DestroyTaskRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[15]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DestroyTaskRequest.ProtoReflect.Descriptor instead.
func (*DestroyTaskRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{15}
}

func (x *DestroyTaskRequest) GetTaskId() string {
	if x != nil {
		return x.TaskId
	}
	return ""
}

func (x *DestroyTaskRequest) GetForce() bool {
	if x != nil {
		return x.Force
	}
	return false
}

// DestroyTaskResponse is empty.
type DestroyTaskResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DestroyTaskResponse) Reset() {
	*x = DestroyTaskResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[16]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DestroyTaskResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DestroyTaskResponse) ProtoMessage() {}

func (x *DestroyTaskResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[16]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DestroyTaskResponse.ProtoReflect.Descriptor instead.
func (*DestroyTaskResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{16}
}

// InspectTaskRequest names the task to inspect.
type InspectTaskRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// task_id as given in TaskConfig.id.
	TaskId        string `protobuf:"bytes,1,opt,name=task_id,json=taskId,proto3" json:"task_id,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *InspectTaskRequest) Reset() {
	*x = InspectTaskRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[17]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *InspectTaskRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*InspectTaskRequest) ProtoMessage() {}

func (x *InspectTaskRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[17]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use InspectTaskRequest.ProtoReflect.Descriptor instead.
func (*InspectTaskRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{17}
}

func (x *InspectTaskRequest) GetTaskId() string {
	if x != nil {
		return x.TaskId
	}
	return ""
}

// InspectTaskResponse is the task's status.
type InspectTaskResponse struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// task status; MUST be set.
	Task *TaskStatus `protobuf:"bytes,1,opt,name=task,proto3" json:"task,omitempty"`
	// driver-specific detail; optional.
	Driver *TaskDriverStatus `protobuf:"bytes,2,opt,name=driver,proto3" json:"driver,omitempty"`
	// network_override as returned by StartTask; optional.
	NetworkOverride *NetworkOverride `protobuf:"bytes,3,opt,name=network_override,json=networkOverride,proto3" json:"network_override,omitempty"`
	unknownFields   protoimpl.UnknownFields
	sizeCache       protoimpl.SizeCache
}

func (x *InspectTaskResponse) Reset() {
	*x = InspectTaskResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[18]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *InspectTaskResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*InspectTaskResponse) ProtoMessage() {}

func (x *InspectTaskResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[18]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use InspectTaskResponse.ProtoReflect.Descriptor instead.
func (*InspectTaskResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{18}
}

func (x *InspectTaskResponse) GetTask() *TaskStatus {
	if x != nil {
		return x.Task
	}
	return nil
}

func (x *InspectTaskResponse) GetDriver() *TaskDriverStatus {
	if x != nil {
		return x.Driver
	}
	return nil
}

func (x *InspectTaskResponse) GetNetworkOverride() *NetworkOverride {
	if x != nil {
		return x.NetworkOverride
	}
	return nil
}

// TaskStatsRequest starts a stats stream.
type TaskStatsRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// task_id as given in TaskConfig.id.
	TaskId string `protobuf:"bytes,1,opt,name=task_id,json=taskId,proto3" json:"task_id,omitempty"`
	// collection_interval between two responses; unset or zero means 1 s.
	CollectionInterval *durationpb.Duration `protobuf:"bytes,2,opt,name=collection_interval,json=collectionInterval,proto3" json:"collection_interval,omitempty"`
	unknownFields      protoimpl.UnknownFields
	sizeCache          protoimpl.SizeCache
}

func (x *TaskStatsRequest) Reset() {
	*x = TaskStatsRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[19]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *TaskStatsRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*TaskStatsRequest) ProtoMessage() {}

func (x *TaskStatsRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[19]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use TaskStatsRequest.ProtoReflect.Descriptor instead.
func (*TaskStatsRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{19}
}

func (x *TaskStatsRequest) GetTaskId() string {
	if x != nil {
		return x.TaskId
	}
	return ""
}

func (x *TaskStatsRequest) GetCollectionInterval() *durationpb.Duration {
	if x != nil {
		return x.CollectionInterval
	}
	return nil
}

// TaskStatsResponse is one measurement.
type TaskStatsResponse struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// stats of the task.
	Stats         *TaskStats `protobuf:"bytes,1,opt,name=stats,proto3" json:"stats,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *TaskStatsResponse) Reset() {
	*x = TaskStatsResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[20]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *TaskStatsResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*TaskStatsResponse) ProtoMessage() {}

func (x *TaskStatsResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[20]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use TaskStatsResponse.ProtoReflect.Descriptor instead.
func (*TaskStatsResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{20}
}

func (x *TaskStatsResponse) GetStats() *TaskStats {
	if x != nil {
		return x.Stats
	}
	return nil
}

// TaskEventsRequest is empty.
type TaskEventsRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *TaskEventsRequest) Reset() {
	*x = TaskEventsRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[21]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *TaskEventsRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*TaskEventsRequest) ProtoMessage() {}

func (x *TaskEventsRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[21]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use TaskEventsRequest.ProtoReflect.Descriptor instead.
func (*TaskEventsRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{21}
}

// SignalTaskRequest delivers a signal.
type SignalTaskRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// task_id as given in TaskConfig.id.
	TaskId string `protobuf:"bytes,1,opt,name=task_id,json=taskId,proto3" json:"task_id,omitempty"`
	// signal name, e.g. "SIGHUP". An unknown name MUST be an error.
	Signal        string `protobuf:"bytes,2,opt,name=signal,proto3" json:"signal,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *SignalTaskRequest) Reset() {
	*x = SignalTaskRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[22]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *SignalTaskRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*SignalTaskRequest) ProtoMessage() {}

func (x *SignalTaskRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[22]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use SignalTaskRequest.ProtoReflect.Descriptor instead.
func (*SignalTaskRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{22}
}

func (x *SignalTaskRequest) GetTaskId() string {
	if x != nil {
		return x.TaskId
	}
	return ""
}

func (x *SignalTaskRequest) GetSignal() string {
	if x != nil {
		return x.Signal
	}
	return ""
}

// SignalTaskResponse is empty.
type SignalTaskResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *SignalTaskResponse) Reset() {
	*x = SignalTaskResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[23]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *SignalTaskResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*SignalTaskResponse) ProtoMessage() {}

func (x *SignalTaskResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[23]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use SignalTaskResponse.ProtoReflect.Descriptor instead.
func (*SignalTaskResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{23}
}

// ExecTaskRequest runs a command to completion.
type ExecTaskRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// task_id as given in TaskConfig.id.
	TaskId string `protobuf:"bytes,1,opt,name=task_id,json=taskId,proto3" json:"task_id,omitempty"`
	// command and its arguments; MUST NOT be empty.
	Command []string `protobuf:"bytes,2,rep,name=command,proto3" json:"command,omitempty"`
	// timeout after which the command is killed; unset means no limit.
	Timeout       *durationpb.Duration `protobuf:"bytes,3,opt,name=timeout,proto3" json:"timeout,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ExecTaskRequest) Reset() {
	*x = ExecTaskRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[24]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ExecTaskRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ExecTaskRequest) ProtoMessage() {}

func (x *ExecTaskRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[24]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ExecTaskRequest.ProtoReflect.Descriptor instead.
func (*ExecTaskRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{24}
}

func (x *ExecTaskRequest) GetTaskId() string {
	if x != nil {
		return x.TaskId
	}
	return ""
}

func (x *ExecTaskRequest) GetCommand() []string {
	if x != nil {
		return x.Command
	}
	return nil
}

func (x *ExecTaskRequest) GetTimeout() *durationpb.Duration {
	if x != nil {
		return x.Timeout
	}
	return nil
}

// ExecTaskResponse is the command's output and exit.
type ExecTaskResponse struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// stdout of the command.
	Stdout []byte `protobuf:"bytes,1,opt,name=stdout,proto3" json:"stdout,omitempty"`
	// stderr of the command.
	Stderr []byte `protobuf:"bytes,2,opt,name=stderr,proto3" json:"stderr,omitempty"`
	// result of the command.
	Result        *ExitResult `protobuf:"bytes,3,opt,name=result,proto3" json:"result,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ExecTaskResponse) Reset() {
	*x = ExecTaskResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[25]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ExecTaskResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ExecTaskResponse) ProtoMessage() {}

func (x *ExecTaskResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[25]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ExecTaskResponse.ProtoReflect.Descriptor instead.
func (*ExecTaskResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{25}
}

func (x *ExecTaskResponse) GetStdout() []byte {
	if x != nil {
		return x.Stdout
	}
	return nil
}

func (x *ExecTaskResponse) GetStderr() []byte {
	if x != nil {
		return x.Stderr
	}
	return nil
}

func (x *ExecTaskResponse) GetResult() *ExitResult {
	if x != nil {
		return x.Result
	}
	return nil
}

// ExecTaskStreamingIOOperation is one chunk of a stream.
type ExecTaskStreamingIOOperation struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// data is raw bytes.
	Data []byte `protobuf:"bytes,1,opt,name=data,proto3" json:"data,omitempty"`
	// close marks the end of this stream (EOF).
	Close         bool `protobuf:"varint,2,opt,name=close,proto3" json:"close,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ExecTaskStreamingIOOperation) Reset() {
	*x = ExecTaskStreamingIOOperation{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[26]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ExecTaskStreamingIOOperation) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ExecTaskStreamingIOOperation) ProtoMessage() {}

func (x *ExecTaskStreamingIOOperation) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[26]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ExecTaskStreamingIOOperation.ProtoReflect.Descriptor instead.
func (*ExecTaskStreamingIOOperation) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{26}
}

func (x *ExecTaskStreamingIOOperation) GetData() []byte {
	if x != nil {
		return x.Data
	}
	return nil
}

func (x *ExecTaskStreamingIOOperation) GetClose() bool {
	if x != nil {
		return x.Close
	}
	return false
}

// ExecTaskStreamingRequest is one message from the host to the exec session.
type ExecTaskStreamingRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// setup, first message only.
	Setup *ExecTaskStreamingRequest_Setup `protobuf:"bytes,1,opt,name=setup,proto3" json:"setup,omitempty"`
	// tty_size, whenever the terminal is resized (tty sessions only).
	TtySize *ExecTaskStreamingRequest_TerminalSize `protobuf:"bytes,2,opt,name=tty_size,json=ttySize,proto3" json:"tty_size,omitempty"`
	// stdin bytes for the command; `close` ends its stdin.
	Stdin         *ExecTaskStreamingIOOperation `protobuf:"bytes,3,opt,name=stdin,proto3" json:"stdin,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ExecTaskStreamingRequest) Reset() {
	*x = ExecTaskStreamingRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[27]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ExecTaskStreamingRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ExecTaskStreamingRequest) ProtoMessage() {}

func (x *ExecTaskStreamingRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[27]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ExecTaskStreamingRequest.ProtoReflect.Descriptor instead.
func (*ExecTaskStreamingRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{27}
}

func (x *ExecTaskStreamingRequest) GetSetup() *ExecTaskStreamingRequest_Setup {
	if x != nil {
		return x.Setup
	}
	return nil
}

func (x *ExecTaskStreamingRequest) GetTtySize() *ExecTaskStreamingRequest_TerminalSize {
	if x != nil {
		return x.TtySize
	}
	return nil
}

func (x *ExecTaskStreamingRequest) GetStdin() *ExecTaskStreamingIOOperation {
	if x != nil {
		return x.Stdin
	}
	return nil
}

// ExecTaskStreamingResponse is one message from the exec session to the host.
type ExecTaskStreamingResponse struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// stdout bytes of the command.
	Stdout *ExecTaskStreamingIOOperation `protobuf:"bytes,1,opt,name=stdout,proto3" json:"stdout,omitempty"`
	// stderr bytes of the command (never set for tty sessions).
	Stderr *ExecTaskStreamingIOOperation `protobuf:"bytes,2,opt,name=stderr,proto3" json:"stderr,omitempty"`
	// exited is true in the last message of the session.
	Exited bool `protobuf:"varint,3,opt,name=exited,proto3" json:"exited,omitempty"`
	// result is set when exited is true.
	Result        *ExitResult `protobuf:"bytes,4,opt,name=result,proto3" json:"result,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ExecTaskStreamingResponse) Reset() {
	*x = ExecTaskStreamingResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[28]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ExecTaskStreamingResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ExecTaskStreamingResponse) ProtoMessage() {}

func (x *ExecTaskStreamingResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[28]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ExecTaskStreamingResponse.ProtoReflect.Descriptor instead.
func (*ExecTaskStreamingResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{28}
}

func (x *ExecTaskStreamingResponse) GetStdout() *ExecTaskStreamingIOOperation {
	if x != nil {
		return x.Stdout
	}
	return nil
}

func (x *ExecTaskStreamingResponse) GetStderr() *ExecTaskStreamingIOOperation {
	if x != nil {
		return x.Stderr
	}
	return nil
}

func (x *ExecTaskStreamingResponse) GetExited() bool {
	if x != nil {
		return x.Exited
	}
	return false
}

func (x *ExecTaskStreamingResponse) GetResult() *ExitResult {
	if x != nil {
		return x.Result
	}
	return nil
}

// CreateNetworkRequest asks for an allocation's network.
type CreateNetworkRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// alloc_id the network is for.
	AllocId string `protobuf:"bytes,1,opt,name=alloc_id,json=allocId,proto3" json:"alloc_id,omitempty"`
	// hostname to set in the network namespace; empty means default.
	Hostname      string `protobuf:"bytes,2,opt,name=hostname,proto3" json:"hostname,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CreateNetworkRequest) Reset() {
	*x = CreateNetworkRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[29]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CreateNetworkRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CreateNetworkRequest) ProtoMessage() {}

func (x *CreateNetworkRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[29]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CreateNetworkRequest.ProtoReflect.Descriptor instead.
func (*CreateNetworkRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{29}
}

func (x *CreateNetworkRequest) GetAllocId() string {
	if x != nil {
		return x.AllocId
	}
	return ""
}

func (x *CreateNetworkRequest) GetHostname() string {
	if x != nil {
		return x.Hostname
	}
	return ""
}

// CreateNetworkResponse describes the created network.
type CreateNetworkResponse struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// isolation_spec of the network.
	IsolationSpec *NetworkIsolationSpec `protobuf:"bytes,1,opt,name=isolation_spec,json=isolationSpec,proto3" json:"isolation_spec,omitempty"`
	// created is false when the network already existed.
	Created       bool `protobuf:"varint,2,opt,name=created,proto3" json:"created,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *CreateNetworkResponse) Reset() {
	*x = CreateNetworkResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[30]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CreateNetworkResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CreateNetworkResponse) ProtoMessage() {}

func (x *CreateNetworkResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[30]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CreateNetworkResponse.ProtoReflect.Descriptor instead.
func (*CreateNetworkResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{30}
}

func (x *CreateNetworkResponse) GetIsolationSpec() *NetworkIsolationSpec {
	if x != nil {
		return x.IsolationSpec
	}
	return nil
}

func (x *CreateNetworkResponse) GetCreated() bool {
	if x != nil {
		return x.Created
	}
	return false
}

// DestroyNetworkRequest asks to remove an allocation's network.
type DestroyNetworkRequest struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// alloc_id the network is for.
	AllocId string `protobuf:"bytes,1,opt,name=alloc_id,json=allocId,proto3" json:"alloc_id,omitempty"`
	// isolation_spec as CreateNetwork returned it.
	IsolationSpec *NetworkIsolationSpec `protobuf:"bytes,2,opt,name=isolation_spec,json=isolationSpec,proto3" json:"isolation_spec,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DestroyNetworkRequest) Reset() {
	*x = DestroyNetworkRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[31]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DestroyNetworkRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DestroyNetworkRequest) ProtoMessage() {}

func (x *DestroyNetworkRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[31]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DestroyNetworkRequest.ProtoReflect.Descriptor instead.
func (*DestroyNetworkRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{31}
}

func (x *DestroyNetworkRequest) GetAllocId() string {
	if x != nil {
		return x.AllocId
	}
	return ""
}

func (x *DestroyNetworkRequest) GetIsolationSpec() *NetworkIsolationSpec {
	if x != nil {
		return x.IsolationSpec
	}
	return nil
}

// DestroyNetworkResponse is empty.
type DestroyNetworkResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DestroyNetworkResponse) Reset() {
	*x = DestroyNetworkResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[32]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DestroyNetworkResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DestroyNetworkResponse) ProtoMessage() {}

func (x *DestroyNetworkResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[32]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DestroyNetworkResponse.ProtoReflect.Descriptor instead.
func (*DestroyNetworkResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{32}
}

// InitRequest is empty.
type InitRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *InitRequest) Reset() {
	*x = InitRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[33]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *InitRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*InitRequest) ProtoMessage() {}

func (x *InitRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[33]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use InitRequest.ProtoReflect.Descriptor instead.
func (*InitRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{33}
}

// InitResponse is empty.
type InitResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *InitResponse) Reset() {
	*x = InitResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[34]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *InitResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*InitResponse) ProtoMessage() {}

func (x *InitResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[34]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use InitResponse.ProtoReflect.Descriptor instead.
func (*InitResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{34}
}

// ShutdownRequest is empty.
type ShutdownRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ShutdownRequest) Reset() {
	*x = ShutdownRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[35]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ShutdownRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ShutdownRequest) ProtoMessage() {}

func (x *ShutdownRequest) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[35]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ShutdownRequest.ProtoReflect.Descriptor instead.
func (*ShutdownRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{35}
}

// ShutdownResponse is empty.
type ShutdownResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ShutdownResponse) Reset() {
	*x = ShutdownResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[36]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ShutdownResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ShutdownResponse) ProtoMessage() {}

func (x *ShutdownResponse) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[36]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ShutdownResponse.ProtoReflect.Descriptor instead.
func (*ShutdownResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{36}
}

// TaskConfig is everything the host knows about a task when starting it.
// Nomad builds it in client/allocrunner/taskrunner/task_runner.go
// buildTaskConfig.
type TaskConfig struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// id of the task; unique per driver, the key for every later call. Nomad's
	// form is "<alloc id>/<task name>/<8 hex characters>", with a new suffix
	// for every start of the task: drivers MUST treat it as opaque and MUST
	// accept '/' in it.
	Id string `protobuf:"bytes,1,opt,name=id,proto3" json:"id,omitempty"`
	// name of the task in its group. The task's own directory is
	// <alloc_dir>/<name>.
	Name string `protobuf:"bytes,2,opt,name=name,proto3" json:"name,omitempty"`
	// msgpack_driver_config is the task's `config {}` decoded with
	// TaskConfigSchema, as cty msgpack. EMPTY in RecoverTask's handle.
	MsgpackDriverConfig []byte `protobuf:"bytes,3,opt,name=msgpack_driver_config,json=msgpackDriverConfig,proto3" json:"msgpack_driver_config,omitempty"`
	// env is the task's whole environment, as Nomad's client/taskenv builds it:
	// NOMAD_ALLOC_DIR (<alloc_dir>/alloc for drivers without filesystem
	// isolation, "/alloc" otherwise), NOMAD_TASK_DIR (<alloc_dir>/<name>/local
	// or "/local"), NOMAD_SECRETS_DIR (<alloc_dir>/<name>/secrets or
	// "/secrets"), NOMAD_ALLOC_ID, NOMAD_SHORT_ALLOC_ID, NOMAD_ALLOC_NAME,
	// NOMAD_ALLOC_INDEX, NOMAD_TASK_NAME, NOMAD_GROUP_NAME, NOMAD_JOB_ID,
	// NOMAD_JOB_NAME, NOMAD_NAMESPACE, NOMAD_REGION, NOMAD_DC,
	// NOMAD_CPU_LIMIT (MHz), NOMAD_MEMORY_LIMIT (MB), NOMAD_META_*, then the
	// task's own `env`, then device_env on top. The driver MUST give the task
	// exactly this environment.
	Env map[string]string `protobuf:"bytes,4,rep,name=env,proto3" json:"env,omitempty" protobuf_key:"bytes,1,opt,name=key" protobuf_val:"bytes,2,opt,name=value"`
	// device_env is environment contributed by device reservations; already
	// merged into env by the host.
	DeviceEnv map[string]string `protobuf:"bytes,5,rep,name=device_env,json=deviceEnv,proto3" json:"device_env,omitempty" protobuf_key:"bytes,1,opt,name=key" protobuf_val:"bytes,2,opt,name=value"`
	// resources allotted to the task.
	Resources *Resources `protobuf:"bytes,6,opt,name=resources,proto3" json:"resources,omitempty"`
	// mounts to make visible in the task.
	Mounts []*Mount `protobuf:"bytes,7,rep,name=mounts,proto3" json:"mounts,omitempty"`
	// devices (nodes) to make visible in the task.
	Devices []*Device `protobuf:"bytes,8,rep,name=devices,proto3" json:"devices,omitempty"`
	// user to run the task as; empty means the driver's default.
	User string `protobuf:"bytes,9,opt,name=user,proto3" json:"user,omitempty"`
	// alloc_dir is the ALLOCATION's directory on the host, not the task's
	// (task_runner.go passes taskDir.AllocDir). Nomad creates it before
	// StartTask (client/allocdir): <alloc_dir>/alloc/{logs,tmp,data} shared by
	// the allocation's tasks, and per task <alloc_dir>/<name>/{local,secrets,
	// private,tmp}. <alloc_dir>/<name> is the task's directory and the working
	// directory drivers without isolation use (raw_exec).
	AllocDir string `protobuf:"bytes,10,opt,name=alloc_dir,json=allocDir,proto3" json:"alloc_dir,omitempty"`
	// stdout_path is a FIFO the task's stdout MUST be written to, unless the
	// driver collects logs itself. Nomad's is
	// <alloc_dir>/alloc/logs/.<name>.stdout.fifo (logmon_hook.go); its
	// reader may be restarted, so a driver opens it without blocking forever.
	StdoutPath string `protobuf:"bytes,11,opt,name=stdout_path,json=stdoutPath,proto3" json:"stdout_path,omitempty"`
	// stderr_path is the same for stderr: <alloc_dir>/alloc/logs/.<name>.stderr.fifo.
	StderrPath string `protobuf:"bytes,12,opt,name=stderr_path,json=stderrPath,proto3" json:"stderr_path,omitempty"`
	// task_group_name of the task.
	TaskGroupName string `protobuf:"bytes,13,opt,name=task_group_name,json=taskGroupName,proto3" json:"task_group_name,omitempty"`
	// job_name of the task.
	JobName string `protobuf:"bytes,14,opt,name=job_name,json=jobName,proto3" json:"job_name,omitempty"`
	// alloc_id of the task.
	AllocId string `protobuf:"bytes,15,opt,name=alloc_id,json=allocId,proto3" json:"alloc_id,omitempty"`
	// network_isolation_spec the task joins; unset means host networking.
	NetworkIsolationSpec *NetworkIsolationSpec `protobuf:"bytes,16,opt,name=network_isolation_spec,json=networkIsolationSpec,proto3" json:"network_isolation_spec,omitempty"`
	// dns configuration for the task; unset means the host's.
	Dns *DNSConfig `protobuf:"bytes,17,opt,name=dns,proto3" json:"dns,omitempty"`
	// job_id of the task.
	JobId string `protobuf:"bytes,18,opt,name=job_id,json=jobId,proto3" json:"job_id,omitempty"`
	// namespace of the job.
	Namespace string `protobuf:"bytes,19,opt,name=namespace,proto3" json:"namespace,omitempty"`
	// node_name of the host.
	NodeName string `protobuf:"bytes,20,opt,name=node_name,json=nodeName,proto3" json:"node_name,omitempty"`
	// node_id of the host.
	NodeId string `protobuf:"bytes,21,opt,name=node_id,json=nodeId,proto3" json:"node_id,omitempty"`
	// parent_job_id for dispatched and periodic jobs; often empty.
	ParentJobId   string `protobuf:"bytes,22,opt,name=parent_job_id,json=parentJobId,proto3" json:"parent_job_id,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *TaskConfig) Reset() {
	*x = TaskConfig{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[37]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *TaskConfig) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*TaskConfig) ProtoMessage() {}

func (x *TaskConfig) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[37]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use TaskConfig.ProtoReflect.Descriptor instead.
func (*TaskConfig) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{37}
}

func (x *TaskConfig) GetId() string {
	if x != nil {
		return x.Id
	}
	return ""
}

func (x *TaskConfig) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

func (x *TaskConfig) GetMsgpackDriverConfig() []byte {
	if x != nil {
		return x.MsgpackDriverConfig
	}
	return nil
}

func (x *TaskConfig) GetEnv() map[string]string {
	if x != nil {
		return x.Env
	}
	return nil
}

func (x *TaskConfig) GetDeviceEnv() map[string]string {
	if x != nil {
		return x.DeviceEnv
	}
	return nil
}

func (x *TaskConfig) GetResources() *Resources {
	if x != nil {
		return x.Resources
	}
	return nil
}

func (x *TaskConfig) GetMounts() []*Mount {
	if x != nil {
		return x.Mounts
	}
	return nil
}

func (x *TaskConfig) GetDevices() []*Device {
	if x != nil {
		return x.Devices
	}
	return nil
}

func (x *TaskConfig) GetUser() string {
	if x != nil {
		return x.User
	}
	return ""
}

func (x *TaskConfig) GetAllocDir() string {
	if x != nil {
		return x.AllocDir
	}
	return ""
}

func (x *TaskConfig) GetStdoutPath() string {
	if x != nil {
		return x.StdoutPath
	}
	return ""
}

func (x *TaskConfig) GetStderrPath() string {
	if x != nil {
		return x.StderrPath
	}
	return ""
}

func (x *TaskConfig) GetTaskGroupName() string {
	if x != nil {
		return x.TaskGroupName
	}
	return ""
}

func (x *TaskConfig) GetJobName() string {
	if x != nil {
		return x.JobName
	}
	return ""
}

func (x *TaskConfig) GetAllocId() string {
	if x != nil {
		return x.AllocId
	}
	return ""
}

func (x *TaskConfig) GetNetworkIsolationSpec() *NetworkIsolationSpec {
	if x != nil {
		return x.NetworkIsolationSpec
	}
	return nil
}

func (x *TaskConfig) GetDns() *DNSConfig {
	if x != nil {
		return x.Dns
	}
	return nil
}

func (x *TaskConfig) GetJobId() string {
	if x != nil {
		return x.JobId
	}
	return ""
}

func (x *TaskConfig) GetNamespace() string {
	if x != nil {
		return x.Namespace
	}
	return ""
}

func (x *TaskConfig) GetNodeName() string {
	if x != nil {
		return x.NodeName
	}
	return ""
}

func (x *TaskConfig) GetNodeId() string {
	if x != nil {
		return x.NodeId
	}
	return ""
}

func (x *TaskConfig) GetParentJobId() string {
	if x != nil {
		return x.ParentJobId
	}
	return ""
}

// Resources allotted to a task.
type Resources struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// allocated_resources as scheduled.
	AllocatedResources *AllocatedTaskResources `protobuf:"bytes,1,opt,name=allocated_resources,json=allocatedResources,proto3" json:"allocated_resources,omitempty"`
	// linux_resources, the same as cgroup settings.
	LinuxResources *LinuxResources `protobuf:"bytes,2,opt,name=linux_resources,json=linuxResources,proto3" json:"linux_resources,omitempty"`
	// ports mapped for the task.
	Ports         []*PortMapping `protobuf:"bytes,3,rep,name=ports,proto3" json:"ports,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *Resources) Reset() {
	*x = Resources{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[38]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *Resources) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*Resources) ProtoMessage() {}

func (x *Resources) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[38]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use Resources.ProtoReflect.Descriptor instead.
func (*Resources) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{38}
}

func (x *Resources) GetAllocatedResources() *AllocatedTaskResources {
	if x != nil {
		return x.AllocatedResources
	}
	return nil
}

func (x *Resources) GetLinuxResources() *LinuxResources {
	if x != nil {
		return x.LinuxResources
	}
	return nil
}

func (x *Resources) GetPorts() []*PortMapping {
	if x != nil {
		return x.Ports
	}
	return nil
}

// AllocatedTaskResources are the scheduled resources.
type AllocatedTaskResources struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// cpu share.
	Cpu *AllocatedCpuResources `protobuf:"bytes,1,opt,name=cpu,proto3" json:"cpu,omitempty"`
	// memory limits.
	Memory *AllocatedMemoryResources `protobuf:"bytes,2,opt,name=memory,proto3" json:"memory,omitempty"`
	// networks of the task.
	Networks      []*NetworkResource `protobuf:"bytes,5,rep,name=networks,proto3" json:"networks,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *AllocatedTaskResources) Reset() {
	*x = AllocatedTaskResources{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[39]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *AllocatedTaskResources) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*AllocatedTaskResources) ProtoMessage() {}

func (x *AllocatedTaskResources) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[39]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use AllocatedTaskResources.ProtoReflect.Descriptor instead.
func (*AllocatedTaskResources) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{39}
}

func (x *AllocatedTaskResources) GetCpu() *AllocatedCpuResources {
	if x != nil {
		return x.Cpu
	}
	return nil
}

func (x *AllocatedTaskResources) GetMemory() *AllocatedMemoryResources {
	if x != nil {
		return x.Memory
	}
	return nil
}

func (x *AllocatedTaskResources) GetNetworks() []*NetworkResource {
	if x != nil {
		return x.Networks
	}
	return nil
}

// AllocatedCpuResources is the CPU given to a task.
type AllocatedCpuResources struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// cpu_shares in MHz.
	CpuShares     int64 `protobuf:"varint,1,opt,name=cpu_shares,json=cpuShares,proto3" json:"cpu_shares,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *AllocatedCpuResources) Reset() {
	*x = AllocatedCpuResources{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[40]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *AllocatedCpuResources) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*AllocatedCpuResources) ProtoMessage() {}

func (x *AllocatedCpuResources) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[40]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use AllocatedCpuResources.ProtoReflect.Descriptor instead.
func (*AllocatedCpuResources) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{40}
}

func (x *AllocatedCpuResources) GetCpuShares() int64 {
	if x != nil {
		return x.CpuShares
	}
	return 0
}

// AllocatedMemoryResources is the memory given to a task.
type AllocatedMemoryResources struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// memory_mb is the reserved memory, in MiB.
	MemoryMb int64 `protobuf:"varint,2,opt,name=memory_mb,json=memoryMb,proto3" json:"memory_mb,omitempty"`
	// memory_max_mb is the hard limit, in MiB; 0 means equal to memory_mb.
	MemoryMaxMb   int64 `protobuf:"varint,3,opt,name=memory_max_mb,json=memoryMaxMb,proto3" json:"memory_max_mb,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *AllocatedMemoryResources) Reset() {
	*x = AllocatedMemoryResources{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[41]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *AllocatedMemoryResources) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*AllocatedMemoryResources) ProtoMessage() {}

func (x *AllocatedMemoryResources) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[41]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use AllocatedMemoryResources.ProtoReflect.Descriptor instead.
func (*AllocatedMemoryResources) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{41}
}

func (x *AllocatedMemoryResources) GetMemoryMb() int64 {
	if x != nil {
		return x.MemoryMb
	}
	return 0
}

func (x *AllocatedMemoryResources) GetMemoryMaxMb() int64 {
	if x != nil {
		return x.MemoryMaxMb
	}
	return 0
}

// NetworkResource is one network of a task.
type NetworkResource struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// device name of the host interface.
	Device string `protobuf:"bytes,1,opt,name=device,proto3" json:"device,omitempty"`
	// cidr of the network.
	Cidr string `protobuf:"bytes,2,opt,name=cidr,proto3" json:"cidr,omitempty"`
	// ip given to the task.
	Ip string `protobuf:"bytes,3,opt,name=ip,proto3" json:"ip,omitempty"`
	// mbits of bandwidth.
	Mbits int32 `protobuf:"varint,4,opt,name=mbits,proto3" json:"mbits,omitempty"`
	// reserved_ports are static ports.
	ReservedPorts []*NetworkPort `protobuf:"bytes,5,rep,name=reserved_ports,json=reservedPorts,proto3" json:"reserved_ports,omitempty"`
	// dynamic_ports are ports picked by the scheduler.
	DynamicPorts  []*NetworkPort `protobuf:"bytes,6,rep,name=dynamic_ports,json=dynamicPorts,proto3" json:"dynamic_ports,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *NetworkResource) Reset() {
	*x = NetworkResource{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[42]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *NetworkResource) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*NetworkResource) ProtoMessage() {}

func (x *NetworkResource) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[42]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use NetworkResource.ProtoReflect.Descriptor instead.
func (*NetworkResource) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{42}
}

func (x *NetworkResource) GetDevice() string {
	if x != nil {
		return x.Device
	}
	return ""
}

func (x *NetworkResource) GetCidr() string {
	if x != nil {
		return x.Cidr
	}
	return ""
}

func (x *NetworkResource) GetIp() string {
	if x != nil {
		return x.Ip
	}
	return ""
}

func (x *NetworkResource) GetMbits() int32 {
	if x != nil {
		return x.Mbits
	}
	return 0
}

func (x *NetworkResource) GetReservedPorts() []*NetworkPort {
	if x != nil {
		return x.ReservedPorts
	}
	return nil
}

func (x *NetworkResource) GetDynamicPorts() []*NetworkPort {
	if x != nil {
		return x.DynamicPorts
	}
	return nil
}

// NetworkPort is a labelled port.
type NetworkPort struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// label of the port.
	Label string `protobuf:"bytes,1,opt,name=label,proto3" json:"label,omitempty"`
	// value is the port number.
	Value         int32 `protobuf:"varint,2,opt,name=value,proto3" json:"value,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *NetworkPort) Reset() {
	*x = NetworkPort{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[43]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *NetworkPort) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*NetworkPort) ProtoMessage() {}

func (x *NetworkPort) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[43]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use NetworkPort.ProtoReflect.Descriptor instead.
func (*NetworkPort) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{43}
}

func (x *NetworkPort) GetLabel() string {
	if x != nil {
		return x.Label
	}
	return ""
}

func (x *NetworkPort) GetValue() int32 {
	if x != nil {
		return x.Value
	}
	return 0
}

// LinuxResources are cgroup-level limits.
type LinuxResources struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// cpu_period in microseconds.
	CpuPeriod int64 `protobuf:"varint,1,opt,name=cpu_period,json=cpuPeriod,proto3" json:"cpu_period,omitempty"`
	// cpu_quota in microseconds per period.
	CpuQuota int64 `protobuf:"varint,2,opt,name=cpu_quota,json=cpuQuota,proto3" json:"cpu_quota,omitempty"`
	// cpu_shares, relative weight.
	CpuShares int64 `protobuf:"varint,3,opt,name=cpu_shares,json=cpuShares,proto3" json:"cpu_shares,omitempty"`
	// memory_limit_bytes is the hard memory limit.
	MemoryLimitBytes int64 `protobuf:"varint,4,opt,name=memory_limit_bytes,json=memoryLimitBytes,proto3" json:"memory_limit_bytes,omitempty"`
	// oom_score_adj for the task's processes.
	OomScoreAdj int64 `protobuf:"varint,5,opt,name=oom_score_adj,json=oomScoreAdj,proto3" json:"oom_score_adj,omitempty"`
	// cpuset_cpus, e.g. "0-3,6".
	CpusetCpus string `protobuf:"bytes,6,opt,name=cpuset_cpus,json=cpusetCpus,proto3" json:"cpuset_cpus,omitempty"`
	// PercentTicks is the share of the host's CPU ticks, 0..1. Capitalised on
	// the wire.
	PercentTicks float64 `protobuf:"fixed64,8,opt,name=PercentTicks,proto3" json:"PercentTicks,omitempty"`
	// cpuset_cgroup is the cgroup path holding the cpuset.
	CpusetCgroup  string `protobuf:"bytes,9,opt,name=cpuset_cgroup,json=cpusetCgroup,proto3" json:"cpuset_cgroup,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *LinuxResources) Reset() {
	*x = LinuxResources{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[44]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *LinuxResources) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*LinuxResources) ProtoMessage() {}

func (x *LinuxResources) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[44]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use LinuxResources.ProtoReflect.Descriptor instead.
func (*LinuxResources) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{44}
}

func (x *LinuxResources) GetCpuPeriod() int64 {
	if x != nil {
		return x.CpuPeriod
	}
	return 0
}

func (x *LinuxResources) GetCpuQuota() int64 {
	if x != nil {
		return x.CpuQuota
	}
	return 0
}

func (x *LinuxResources) GetCpuShares() int64 {
	if x != nil {
		return x.CpuShares
	}
	return 0
}

func (x *LinuxResources) GetMemoryLimitBytes() int64 {
	if x != nil {
		return x.MemoryLimitBytes
	}
	return 0
}

func (x *LinuxResources) GetOomScoreAdj() int64 {
	if x != nil {
		return x.OomScoreAdj
	}
	return 0
}

func (x *LinuxResources) GetCpusetCpus() string {
	if x != nil {
		return x.CpusetCpus
	}
	return ""
}

func (x *LinuxResources) GetPercentTicks() float64 {
	if x != nil {
		return x.PercentTicks
	}
	return 0
}

func (x *LinuxResources) GetCpusetCgroup() string {
	if x != nil {
		return x.CpusetCgroup
	}
	return ""
}

// PortMapping maps a host port into the task.
type PortMapping struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// label of the port.
	Label string `protobuf:"bytes,1,opt,name=label,proto3" json:"label,omitempty"`
	// value is the host port.
	Value int32 `protobuf:"varint,2,opt,name=value,proto3" json:"value,omitempty"`
	// to is the port inside the task; 0 means the same as value.
	To int32 `protobuf:"varint,3,opt,name=to,proto3" json:"to,omitempty"`
	// host_ip the port is bound on.
	HostIp        string `protobuf:"bytes,4,opt,name=host_ip,json=hostIp,proto3" json:"host_ip,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *PortMapping) Reset() {
	*x = PortMapping{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[45]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *PortMapping) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*PortMapping) ProtoMessage() {}

func (x *PortMapping) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[45]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use PortMapping.ProtoReflect.Descriptor instead.
func (*PortMapping) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{45}
}

func (x *PortMapping) GetLabel() string {
	if x != nil {
		return x.Label
	}
	return ""
}

func (x *PortMapping) GetValue() int32 {
	if x != nil {
		return x.Value
	}
	return 0
}

func (x *PortMapping) GetTo() int32 {
	if x != nil {
		return x.To
	}
	return 0
}

func (x *PortMapping) GetHostIp() string {
	if x != nil {
		return x.HostIp
	}
	return ""
}

// Mount is a host path made visible in the task.
type Mount struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// task_path is where the task sees it.
	TaskPath string `protobuf:"bytes,1,opt,name=task_path,json=taskPath,proto3" json:"task_path,omitempty"`
	// host_path on the host.
	HostPath string `protobuf:"bytes,2,opt,name=host_path,json=hostPath,proto3" json:"host_path,omitempty"`
	// readonly mounts it read-only.
	Readonly bool `protobuf:"varint,3,opt,name=readonly,proto3" json:"readonly,omitempty"`
	// propagation_mode: "private", "host-to-task" or "bidirectional".
	PropagationMode string `protobuf:"bytes,4,opt,name=propagation_mode,json=propagationMode,proto3" json:"propagation_mode,omitempty"`
	// selinux_label for the mount; empty means none.
	SelinuxLabel string `protobuf:"bytes,5,opt,name=selinux_label,json=selinuxLabel,proto3" json:"selinux_label,omitempty"`
	// request_name is the volume request this mount fulfils.
	RequestName   string `protobuf:"bytes,6,opt,name=request_name,json=requestName,proto3" json:"request_name,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *Mount) Reset() {
	*x = Mount{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[46]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *Mount) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*Mount) ProtoMessage() {}

func (x *Mount) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[46]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use Mount.ProtoReflect.Descriptor instead.
func (*Mount) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{46}
}

func (x *Mount) GetTaskPath() string {
	if x != nil {
		return x.TaskPath
	}
	return ""
}

func (x *Mount) GetHostPath() string {
	if x != nil {
		return x.HostPath
	}
	return ""
}

func (x *Mount) GetReadonly() bool {
	if x != nil {
		return x.Readonly
	}
	return false
}

func (x *Mount) GetPropagationMode() string {
	if x != nil {
		return x.PropagationMode
	}
	return ""
}

func (x *Mount) GetSelinuxLabel() string {
	if x != nil {
		return x.SelinuxLabel
	}
	return ""
}

func (x *Mount) GetRequestName() string {
	if x != nil {
		return x.RequestName
	}
	return ""
}

// Device is a device node made visible in the task.
type Device struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// task_path where the task sees the node.
	TaskPath string `protobuf:"bytes,1,opt,name=task_path,json=taskPath,proto3" json:"task_path,omitempty"`
	// host_path of the node.
	HostPath string `protobuf:"bytes,2,opt,name=host_path,json=hostPath,proto3" json:"host_path,omitempty"`
	// cgroup_permissions, a combination of "r", "w", "m".
	CgroupPermissions string `protobuf:"bytes,3,opt,name=cgroup_permissions,json=cgroupPermissions,proto3" json:"cgroup_permissions,omitempty"`
	unknownFields     protoimpl.UnknownFields
	sizeCache         protoimpl.SizeCache
}

func (x *Device) Reset() {
	*x = Device{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[47]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *Device) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*Device) ProtoMessage() {}

func (x *Device) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[47]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use Device.ProtoReflect.Descriptor instead.
func (*Device) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{47}
}

func (x *Device) GetTaskPath() string {
	if x != nil {
		return x.TaskPath
	}
	return ""
}

func (x *Device) GetHostPath() string {
	if x != nil {
		return x.HostPath
	}
	return ""
}

func (x *Device) GetCgroupPermissions() string {
	if x != nil {
		return x.CgroupPermissions
	}
	return ""
}

// NetworkIsolationSpec describes a network namespace.
type NetworkIsolationSpec struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// mode of isolation.
	Mode NetworkIsolationSpec_NetworkIsolationMode `protobuf:"varint,1,opt,name=mode,proto3,enum=hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec_NetworkIsolationMode" json:"mode,omitempty"`
	// path of the namespace, e.g. "/var/run/netns/<alloc>".
	Path string `protobuf:"bytes,2,opt,name=path,proto3" json:"path,omitempty"`
	// labels the driver attached to the namespace.
	Labels map[string]string `protobuf:"bytes,3,rep,name=labels,proto3" json:"labels,omitempty" protobuf_key:"bytes,1,opt,name=key" protobuf_val:"bytes,2,opt,name=value"`
	// hostsConfig for the namespace's /etc/hosts. Mixed case on the wire.
	HostsConfig   *HostsConfig `protobuf:"bytes,4,opt,name=hostsConfig,proto3" json:"hostsConfig,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *NetworkIsolationSpec) Reset() {
	*x = NetworkIsolationSpec{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[48]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *NetworkIsolationSpec) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*NetworkIsolationSpec) ProtoMessage() {}

func (x *NetworkIsolationSpec) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[48]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use NetworkIsolationSpec.ProtoReflect.Descriptor instead.
func (*NetworkIsolationSpec) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{48}
}

func (x *NetworkIsolationSpec) GetMode() NetworkIsolationSpec_NetworkIsolationMode {
	if x != nil {
		return x.Mode
	}
	return NetworkIsolationSpec_HOST
}

func (x *NetworkIsolationSpec) GetPath() string {
	if x != nil {
		return x.Path
	}
	return ""
}

func (x *NetworkIsolationSpec) GetLabels() map[string]string {
	if x != nil {
		return x.Labels
	}
	return nil
}

func (x *NetworkIsolationSpec) GetHostsConfig() *HostsConfig {
	if x != nil {
		return x.HostsConfig
	}
	return nil
}

// HostsConfig is the /etc/hosts entry of a namespace.
type HostsConfig struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// hostname of the task.
	Hostname string `protobuf:"bytes,1,opt,name=hostname,proto3" json:"hostname,omitempty"`
	// address the hostname resolves to.
	Address       string `protobuf:"bytes,2,opt,name=address,proto3" json:"address,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *HostsConfig) Reset() {
	*x = HostsConfig{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[49]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *HostsConfig) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*HostsConfig) ProtoMessage() {}

func (x *HostsConfig) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[49]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use HostsConfig.ProtoReflect.Descriptor instead.
func (*HostsConfig) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{49}
}

func (x *HostsConfig) GetHostname() string {
	if x != nil {
		return x.Hostname
	}
	return ""
}

func (x *HostsConfig) GetAddress() string {
	if x != nil {
		return x.Address
	}
	return ""
}

// DNSConfig is a task's resolver configuration.
type DNSConfig struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// servers are resolver addresses.
	Servers []string `protobuf:"bytes,1,rep,name=servers,proto3" json:"servers,omitempty"`
	// searches are search domains.
	Searches []string `protobuf:"bytes,2,rep,name=searches,proto3" json:"searches,omitempty"`
	// options are resolver options.
	Options       []string `protobuf:"bytes,3,rep,name=options,proto3" json:"options,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DNSConfig) Reset() {
	*x = DNSConfig{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[50]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DNSConfig) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DNSConfig) ProtoMessage() {}

func (x *DNSConfig) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[50]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DNSConfig.ProtoReflect.Descriptor instead.
func (*DNSConfig) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{50}
}

func (x *DNSConfig) GetServers() []string {
	if x != nil {
		return x.Servers
	}
	return nil
}

func (x *DNSConfig) GetSearches() []string {
	if x != nil {
		return x.Searches
	}
	return nil
}

func (x *DNSConfig) GetOptions() []string {
	if x != nil {
		return x.Options
	}
	return nil
}

// TaskHandle is the durable reference to a task that the host stores.
type TaskHandle struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// version of the driver_state format, chosen by the driver. 0 is reserved by
	// Nomad for legacy handles; drivers SHOULD use 1 or higher.
	Version int32 `protobuf:"varint,1,opt,name=version,proto3" json:"version,omitempty"`
	// config the task was started with (msgpack_driver_config empty on
	// recover). MUST be set with its id: Nomad skips recovering a handle
	// without a config and calls the task by config.id afterwards.
	Config *TaskConfig `protobuf:"bytes,2,opt,name=config,proto3" json:"config,omitempty"`
	// state of the task when the handle was made.
	State TaskState `protobuf:"varint,3,opt,name=state,proto3,enum=hashicorp.nomad.plugins.drivers.proto.TaskState" json:"state,omitempty"`
	// driver_state is opaque to the host: any encoding the driver likes. It MUST
	// hold everything needed to recover the task in a fresh plugin process.
	DriverState   []byte `protobuf:"bytes,4,opt,name=driver_state,json=driverState,proto3" json:"driver_state,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *TaskHandle) Reset() {
	*x = TaskHandle{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[51]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *TaskHandle) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*TaskHandle) ProtoMessage() {}

func (x *TaskHandle) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[51]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use TaskHandle.ProtoReflect.Descriptor instead.
func (*TaskHandle) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{51}
}

func (x *TaskHandle) GetVersion() int32 {
	if x != nil {
		return x.Version
	}
	return 0
}

func (x *TaskHandle) GetConfig() *TaskConfig {
	if x != nil {
		return x.Config
	}
	return nil
}

func (x *TaskHandle) GetState() TaskState {
	if x != nil {
		return x.State
	}
	return TaskState_UNKNOWN
}

func (x *TaskHandle) GetDriverState() []byte {
	if x != nil {
		return x.DriverState
	}
	return nil
}

// NetworkOverride is the task's real address and port mapping.
type NetworkOverride struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// port_map maps port labels to the ports the task listens on.
	PortMap map[string]int32 `protobuf:"bytes,1,rep,name=port_map,json=portMap,proto3" json:"port_map,omitempty" protobuf_key:"bytes,1,opt,name=key" protobuf_val:"varint,2,opt,name=value"`
	// addr the task is reachable at.
	Addr string `protobuf:"bytes,2,opt,name=addr,proto3" json:"addr,omitempty"`
	// auto_advertise prefers addr over the host's address for services.
	AutoAdvertise bool `protobuf:"varint,3,opt,name=auto_advertise,json=autoAdvertise,proto3" json:"auto_advertise,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *NetworkOverride) Reset() {
	*x = NetworkOverride{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[52]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *NetworkOverride) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*NetworkOverride) ProtoMessage() {}

func (x *NetworkOverride) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[52]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use NetworkOverride.ProtoReflect.Descriptor instead.
func (*NetworkOverride) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{52}
}

func (x *NetworkOverride) GetPortMap() map[string]int32 {
	if x != nil {
		return x.PortMap
	}
	return nil
}

func (x *NetworkOverride) GetAddr() string {
	if x != nil {
		return x.Addr
	}
	return ""
}

func (x *NetworkOverride) GetAutoAdvertise() bool {
	if x != nil {
		return x.AutoAdvertise
	}
	return false
}

// ExitResult is how a task or command ended.
type ExitResult struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// exit_code of the process; meaningful when signal is 0.
	ExitCode int32 `protobuf:"varint,1,opt,name=exit_code,json=exitCode,proto3" json:"exit_code,omitempty"`
	// signal number that killed the process; 0 means it exited normally.
	Signal int32 `protobuf:"varint,2,opt,name=signal,proto3" json:"signal,omitempty"`
	// oom_killed is true when the out-of-memory killer ended it.
	OomKilled     bool `protobuf:"varint,3,opt,name=oom_killed,json=oomKilled,proto3" json:"oom_killed,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ExitResult) Reset() {
	*x = ExitResult{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[53]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ExitResult) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ExitResult) ProtoMessage() {}

func (x *ExitResult) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[53]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ExitResult.ProtoReflect.Descriptor instead.
func (*ExitResult) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{53}
}

func (x *ExitResult) GetExitCode() int32 {
	if x != nil {
		return x.ExitCode
	}
	return 0
}

func (x *ExitResult) GetSignal() int32 {
	if x != nil {
		return x.Signal
	}
	return 0
}

func (x *ExitResult) GetOomKilled() bool {
	if x != nil {
		return x.OomKilled
	}
	return false
}

// TaskStatus is what InspectTask reports.
type TaskStatus struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// id of the task.
	Id string `protobuf:"bytes,1,opt,name=id,proto3" json:"id,omitempty"`
	// name of the task.
	Name string `protobuf:"bytes,2,opt,name=name,proto3" json:"name,omitempty"`
	// state of the task.
	State TaskState `protobuf:"varint,3,opt,name=state,proto3,enum=hashicorp.nomad.plugins.drivers.proto.TaskState" json:"state,omitempty"`
	// started_at is when the task started. MUST be set: Nomad's Go client
	// (plugins/drivers/utils.go taskStatusFromProto) fails InspectTask on a
	// missing timestamp.
	StartedAt *timestamppb.Timestamp `protobuf:"bytes,4,opt,name=started_at,json=startedAt,proto3" json:"started_at,omitempty"`
	// completed_at is when it exited. MUST be set as well: while the task runs
	// it is Go's zero time, 0001-01-01T00:00:00Z (seconds -62135596800), which
	// is what Nomad's own server side sends (taskStatusToProto converts a zero
	// time.Time); a missing value fails Nomad's client as above.
	CompletedAt *timestamppb.Timestamp `protobuf:"bytes,5,opt,name=completed_at,json=completedAt,proto3" json:"completed_at,omitempty"`
	// result is set once the task has exited.
	Result        *ExitResult `protobuf:"bytes,6,opt,name=result,proto3" json:"result,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *TaskStatus) Reset() {
	*x = TaskStatus{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[54]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *TaskStatus) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*TaskStatus) ProtoMessage() {}

func (x *TaskStatus) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[54]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use TaskStatus.ProtoReflect.Descriptor instead.
func (*TaskStatus) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{54}
}

func (x *TaskStatus) GetId() string {
	if x != nil {
		return x.Id
	}
	return ""
}

func (x *TaskStatus) GetName() string {
	if x != nil {
		return x.Name
	}
	return ""
}

func (x *TaskStatus) GetState() TaskState {
	if x != nil {
		return x.State
	}
	return TaskState_UNKNOWN
}

func (x *TaskStatus) GetStartedAt() *timestamppb.Timestamp {
	if x != nil {
		return x.StartedAt
	}
	return nil
}

func (x *TaskStatus) GetCompletedAt() *timestamppb.Timestamp {
	if x != nil {
		return x.CompletedAt
	}
	return nil
}

func (x *TaskStatus) GetResult() *ExitResult {
	if x != nil {
		return x.Result
	}
	return nil
}

// TaskDriverStatus is driver-specific detail about a task.
type TaskDriverStatus struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// attributes, free-form, e.g. {"pid": "1234"}.
	Attributes    map[string]string `protobuf:"bytes,1,rep,name=attributes,proto3" json:"attributes,omitempty" protobuf_key:"bytes,1,opt,name=key" protobuf_val:"bytes,2,opt,name=value"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *TaskDriverStatus) Reset() {
	*x = TaskDriverStatus{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[55]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *TaskDriverStatus) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*TaskDriverStatus) ProtoMessage() {}

func (x *TaskDriverStatus) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[55]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use TaskDriverStatus.ProtoReflect.Descriptor instead.
func (*TaskDriverStatus) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{55}
}

func (x *TaskDriverStatus) GetAttributes() map[string]string {
	if x != nil {
		return x.Attributes
	}
	return nil
}

// TaskStats is one measurement of a task.
type TaskStats struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// id of the task.
	Id string `protobuf:"bytes,1,opt,name=id,proto3" json:"id,omitempty"`
	// timestamp of the measurement. MUST be set: Nomad's client
	// (TaskStatsFromProto) drops a message without it.
	Timestamp *timestamppb.Timestamp `protobuf:"bytes,2,opt,name=timestamp,proto3" json:"timestamp,omitempty"`
	// agg_resource_usage over all the task's processes. MUST be set: Nomad's
	// client dereferences it.
	AggResourceUsage *TaskResourceUsage `protobuf:"bytes,3,opt,name=agg_resource_usage,json=aggResourceUsage,proto3" json:"agg_resource_usage,omitempty"`
	// resource_usage_by_pid, keyed by the process id as a decimal string.
	ResourceUsageByPid map[string]*TaskResourceUsage `protobuf:"bytes,4,rep,name=resource_usage_by_pid,json=resourceUsageByPid,proto3" json:"resource_usage_by_pid,omitempty" protobuf_key:"bytes,1,opt,name=key" protobuf_val:"bytes,2,opt,name=value"`
	unknownFields      protoimpl.UnknownFields
	sizeCache          protoimpl.SizeCache
}

func (x *TaskStats) Reset() {
	*x = TaskStats{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[56]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *TaskStats) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*TaskStats) ProtoMessage() {}

func (x *TaskStats) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[56]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use TaskStats.ProtoReflect.Descriptor instead.
func (*TaskStats) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{56}
}

func (x *TaskStats) GetId() string {
	if x != nil {
		return x.Id
	}
	return ""
}

func (x *TaskStats) GetTimestamp() *timestamppb.Timestamp {
	if x != nil {
		return x.Timestamp
	}
	return nil
}

func (x *TaskStats) GetAggResourceUsage() *TaskResourceUsage {
	if x != nil {
		return x.AggResourceUsage
	}
	return nil
}

func (x *TaskStats) GetResourceUsageByPid() map[string]*TaskResourceUsage {
	if x != nil {
		return x.ResourceUsageByPid
	}
	return nil
}

// TaskResourceUsage is CPU and memory usage.
type TaskResourceUsage struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// cpu usage.
	Cpu *CPUUsage `protobuf:"bytes,1,opt,name=cpu,proto3" json:"cpu,omitempty"`
	// memory usage.
	Memory        *MemoryUsage `protobuf:"bytes,2,opt,name=memory,proto3" json:"memory,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *TaskResourceUsage) Reset() {
	*x = TaskResourceUsage{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[57]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *TaskResourceUsage) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*TaskResourceUsage) ProtoMessage() {}

func (x *TaskResourceUsage) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[57]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use TaskResourceUsage.ProtoReflect.Descriptor instead.
func (*TaskResourceUsage) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{57}
}

func (x *TaskResourceUsage) GetCpu() *CPUUsage {
	if x != nil {
		return x.Cpu
	}
	return nil
}

func (x *TaskResourceUsage) GetMemory() *MemoryUsage {
	if x != nil {
		return x.Memory
	}
	return nil
}

// CPUUsage is CPU usage in Nomad's units (client/lib/cpustats and
// drivers/shared/executor): percentages are of ONE core over the interval
// since the previous measurement (the first one: since the task started), so
// a busy single-threaded task reads about 100; total_ticks is the CPU used
// in MHz, percent/100 x total compute (MHz) / cores, and `nomad alloc status
// -stats` prints it as "<total_ticks>/<cpu limit> MHz". Only fields listed in
// measured_fields are meaningful.
type CPUUsage struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// system_mode CPU, in percent of one core over the interval.
	SystemMode float64 `protobuf:"fixed64,1,opt,name=system_mode,json=systemMode,proto3" json:"system_mode,omitempty"`
	// user_mode CPU, in percent of one core over the interval.
	UserMode float64 `protobuf:"fixed64,2,opt,name=user_mode,json=userMode,proto3" json:"user_mode,omitempty"`
	// total_ticks is the CPU used over the interval in MHz (not a tick count
	// and not cumulative): percent/100 x total compute / cores.
	TotalTicks float64 `protobuf:"fixed64,3,opt,name=total_ticks,json=totalTicks,proto3" json:"total_ticks,omitempty"`
	// throttled_periods count.
	ThrottledPeriods uint64 `protobuf:"varint,4,opt,name=throttled_periods,json=throttledPeriods,proto3" json:"throttled_periods,omitempty"`
	// throttled_time in nanoseconds.
	ThrottledTime uint64 `protobuf:"varint,5,opt,name=throttled_time,json=throttledTime,proto3" json:"throttled_time,omitempty"`
	// percent of one core over the interval (user + system).
	Percent float64 `protobuf:"fixed64,6,opt,name=percent,proto3" json:"percent,omitempty"`
	// measured_fields lists which fields above are meaningful.
	MeasuredFields []CPUUsage_Fields `protobuf:"varint,7,rep,packed,name=measured_fields,json=measuredFields,proto3,enum=hashicorp.nomad.plugins.drivers.proto.CPUUsage_Fields" json:"measured_fields,omitempty"`
	unknownFields  protoimpl.UnknownFields
	sizeCache      protoimpl.SizeCache
}

func (x *CPUUsage) Reset() {
	*x = CPUUsage{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[58]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CPUUsage) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CPUUsage) ProtoMessage() {}

func (x *CPUUsage) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[58]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use CPUUsage.ProtoReflect.Descriptor instead.
func (*CPUUsage) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{58}
}

func (x *CPUUsage) GetSystemMode() float64 {
	if x != nil {
		return x.SystemMode
	}
	return 0
}

func (x *CPUUsage) GetUserMode() float64 {
	if x != nil {
		return x.UserMode
	}
	return 0
}

func (x *CPUUsage) GetTotalTicks() float64 {
	if x != nil {
		return x.TotalTicks
	}
	return 0
}

func (x *CPUUsage) GetThrottledPeriods() uint64 {
	if x != nil {
		return x.ThrottledPeriods
	}
	return 0
}

func (x *CPUUsage) GetThrottledTime() uint64 {
	if x != nil {
		return x.ThrottledTime
	}
	return 0
}

func (x *CPUUsage) GetPercent() float64 {
	if x != nil {
		return x.Percent
	}
	return 0
}

func (x *CPUUsage) GetMeasuredFields() []CPUUsage_Fields {
	if x != nil {
		return x.MeasuredFields
	}
	return nil
}

// MemoryUsage is memory usage in bytes. Only fields listed in measured_fields
// are meaningful.
type MemoryUsage struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// rss in bytes.
	Rss uint64 `protobuf:"varint,1,opt,name=rss,proto3" json:"rss,omitempty"`
	// cache in bytes.
	Cache uint64 `protobuf:"varint,2,opt,name=cache,proto3" json:"cache,omitempty"`
	// max_usage in bytes.
	MaxUsage uint64 `protobuf:"varint,3,opt,name=max_usage,json=maxUsage,proto3" json:"max_usage,omitempty"`
	// kernel_usage in bytes.
	KernelUsage uint64 `protobuf:"varint,4,opt,name=kernel_usage,json=kernelUsage,proto3" json:"kernel_usage,omitempty"`
	// kernel_max_usage in bytes.
	KernelMaxUsage uint64 `protobuf:"varint,5,opt,name=kernel_max_usage,json=kernelMaxUsage,proto3" json:"kernel_max_usage,omitempty"`
	// measured_fields lists which fields are meaningful.
	MeasuredFields []MemoryUsage_Fields `protobuf:"varint,6,rep,packed,name=measured_fields,json=measuredFields,proto3,enum=hashicorp.nomad.plugins.drivers.proto.MemoryUsage_Fields" json:"measured_fields,omitempty"`
	// usage in bytes.
	Usage uint64 `protobuf:"varint,7,opt,name=usage,proto3" json:"usage,omitempty"`
	// swap in bytes.
	Swap          uint64 `protobuf:"varint,8,opt,name=swap,proto3" json:"swap,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *MemoryUsage) Reset() {
	*x = MemoryUsage{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[59]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *MemoryUsage) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*MemoryUsage) ProtoMessage() {}

func (x *MemoryUsage) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[59]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use MemoryUsage.ProtoReflect.Descriptor instead.
func (*MemoryUsage) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{59}
}

func (x *MemoryUsage) GetRss() uint64 {
	if x != nil {
		return x.Rss
	}
	return 0
}

func (x *MemoryUsage) GetCache() uint64 {
	if x != nil {
		return x.Cache
	}
	return 0
}

func (x *MemoryUsage) GetMaxUsage() uint64 {
	if x != nil {
		return x.MaxUsage
	}
	return 0
}

func (x *MemoryUsage) GetKernelUsage() uint64 {
	if x != nil {
		return x.KernelUsage
	}
	return 0
}

func (x *MemoryUsage) GetKernelMaxUsage() uint64 {
	if x != nil {
		return x.KernelMaxUsage
	}
	return 0
}

func (x *MemoryUsage) GetMeasuredFields() []MemoryUsage_Fields {
	if x != nil {
		return x.MeasuredFields
	}
	return nil
}

func (x *MemoryUsage) GetUsage() uint64 {
	if x != nil {
		return x.Usage
	}
	return 0
}

func (x *MemoryUsage) GetSwap() uint64 {
	if x != nil {
		return x.Swap
	}
	return 0
}

// DriverTaskEvent is an event about a task.
type DriverTaskEvent struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// task_id the event is about.
	TaskId string `protobuf:"bytes,1,opt,name=task_id,json=taskId,proto3" json:"task_id,omitempty"`
	// alloc_id of the task.
	AllocId string `protobuf:"bytes,2,opt,name=alloc_id,json=allocId,proto3" json:"alloc_id,omitempty"`
	// task_name of the task.
	TaskName string `protobuf:"bytes,3,opt,name=task_name,json=taskName,proto3" json:"task_name,omitempty"`
	// timestamp of the event.
	Timestamp *timestamppb.Timestamp `protobuf:"bytes,4,opt,name=timestamp,proto3" json:"timestamp,omitempty"`
	// message for operators.
	Message string `protobuf:"bytes,5,opt,name=message,proto3" json:"message,omitempty"`
	// annotations, free-form detail.
	Annotations   map[string]string `protobuf:"bytes,6,rep,name=annotations,proto3" json:"annotations,omitempty" protobuf_key:"bytes,1,opt,name=key" protobuf_val:"bytes,2,opt,name=value"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *DriverTaskEvent) Reset() {
	*x = DriverTaskEvent{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[60]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DriverTaskEvent) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DriverTaskEvent) ProtoMessage() {}

func (x *DriverTaskEvent) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[60]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use DriverTaskEvent.ProtoReflect.Descriptor instead.
func (*DriverTaskEvent) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{60}
}

func (x *DriverTaskEvent) GetTaskId() string {
	if x != nil {
		return x.TaskId
	}
	return ""
}

func (x *DriverTaskEvent) GetAllocId() string {
	if x != nil {
		return x.AllocId
	}
	return ""
}

func (x *DriverTaskEvent) GetTaskName() string {
	if x != nil {
		return x.TaskName
	}
	return ""
}

func (x *DriverTaskEvent) GetTimestamp() *timestamppb.Timestamp {
	if x != nil {
		return x.Timestamp
	}
	return nil
}

func (x *DriverTaskEvent) GetMessage() string {
	if x != nil {
		return x.Message
	}
	return ""
}

func (x *DriverTaskEvent) GetAnnotations() map[string]string {
	if x != nil {
		return x.Annotations
	}
	return nil
}

// Setup starts the session; it MUST be in the first message.
type ExecTaskStreamingRequest_Setup struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// task_id as given in TaskConfig.id.
	TaskId string `protobuf:"bytes,1,opt,name=task_id,json=taskId,proto3" json:"task_id,omitempty"`
	// command and its arguments; MUST NOT be empty.
	Command []string `protobuf:"bytes,2,rep,name=command,proto3" json:"command,omitempty"`
	// tty runs the command on a pseudo-terminal; stdout and stderr are then
	// merged on stdout.
	Tty           bool `protobuf:"varint,3,opt,name=tty,proto3" json:"tty,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ExecTaskStreamingRequest_Setup) Reset() {
	*x = ExecTaskStreamingRequest_Setup{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[62]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ExecTaskStreamingRequest_Setup) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ExecTaskStreamingRequest_Setup) ProtoMessage() {}

func (x *ExecTaskStreamingRequest_Setup) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[62]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ExecTaskStreamingRequest_Setup.ProtoReflect.Descriptor instead.
func (*ExecTaskStreamingRequest_Setup) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{27, 0}
}

func (x *ExecTaskStreamingRequest_Setup) GetTaskId() string {
	if x != nil {
		return x.TaskId
	}
	return ""
}

func (x *ExecTaskStreamingRequest_Setup) GetCommand() []string {
	if x != nil {
		return x.Command
	}
	return nil
}

func (x *ExecTaskStreamingRequest_Setup) GetTty() bool {
	if x != nil {
		return x.Tty
	}
	return false
}

// TerminalSize is the client's terminal size, in characters.
type ExecTaskStreamingRequest_TerminalSize struct {
	state protoimpl.MessageState `protogen:"open.v1"`
	// height in rows.
	Height int32 `protobuf:"varint,1,opt,name=height,proto3" json:"height,omitempty"`
	// width in columns.
	Width         int32 `protobuf:"varint,2,opt,name=width,proto3" json:"width,omitempty"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ExecTaskStreamingRequest_TerminalSize) Reset() {
	*x = ExecTaskStreamingRequest_TerminalSize{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[63]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ExecTaskStreamingRequest_TerminalSize) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ExecTaskStreamingRequest_TerminalSize) ProtoMessage() {}

func (x *ExecTaskStreamingRequest_TerminalSize) ProtoReflect() protoreflect.Message {
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[63]
	if x != nil {
		ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
		if ms.LoadMessageInfo() == nil {
			ms.StoreMessageInfo(mi)
		}
		return ms
	}
	return mi.MessageOf(x)
}

// Deprecated: Use ExecTaskStreamingRequest_TerminalSize.ProtoReflect.Descriptor instead.
func (*ExecTaskStreamingRequest_TerminalSize) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{27, 1}
}

func (x *ExecTaskStreamingRequest_TerminalSize) GetHeight() int32 {
	if x != nil {
		return x.Height
	}
	return 0
}

func (x *ExecTaskStreamingRequest_TerminalSize) GetWidth() int32 {
	if x != nil {
		return x.Width
	}
	return 0
}

var File_hashicorp_nomad_plugins_drivers_proto_driver_proto protoreflect.FileDescriptor

const file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDesc = "" +
	"\n" +
	"2hashicorp/nomad/plugins/drivers/proto/driver.proto\x12%hashicorp.nomad.plugins.drivers.proto\x1a\x1egoogle/protobuf/duration.proto\x1a\x1fgoogle/protobuf/timestamp.proto\x1a4hashicorp/nomad/plugins/shared/hclspec/hclspec.proto\x1a6hashicorp/nomad/plugins/shared/structs/attribute.proto\"\x19\n" +
	"\x17TaskConfigSchemaRequest\"\\\n" +
	"\x18TaskConfigSchemaResponse\x12@\n" +
	"\x04spec\x18\x01 \x01(\v2,.hashicorp.nomad.plugins.shared.hclspec.SpecR\x04spec\"\x15\n" +
	"\x13CapabilitiesRequest\"u\n" +
	"\x14CapabilitiesResponse\x12]\n" +
	"\fcapabilities\x18\x01 \x01(\v29.hashicorp.nomad.plugins.drivers.proto.DriverCapabilitiesR\fcapabilities\"\xba\x05\n" +
	"\x12DriverCapabilities\x12!\n" +
	"\fsend_signals\x18\x01 \x01(\bR\vsendSignals\x12\x12\n" +
	"\x04exec\x18\x02 \x01(\bR\x04exec\x12h\n" +
	"\ffs_isolation\x18\x03 \x01(\x0e2E.hashicorp.nomad.plugins.drivers.proto.DriverCapabilities.FSIsolationR\vfsIsolation\x12\x88\x01\n" +
	"\x17network_isolation_modes\x18\x04 \x03(\x0e2P.hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec.NetworkIsolationModeR\x15networkIsolationModes\x12.\n" +
	"\x13must_create_network\x18\x05 \x01(\bR\x11mustCreateNetwork\x12k\n" +
	"\rmount_configs\x18\x06 \x01(\x0e2F.hashicorp.nomad.plugins.drivers.proto.DriverCapabilities.MountConfigsR\fmountConfigs\x124\n" +
	"\x16disable_log_collection\x18\b \x01(\bR\x14disableLogCollection\x124\n" +
	"\x16dynamic_workload_users\x18\t \x01(\bR\x14dynamicWorkloadUsers\":\n" +
	"\vFSIsolation\x12\b\n" +
	"\x04NONE\x10\x00\x12\n" +
	"\n" +
	"\x06CHROOT\x10\x01\x12\t\n" +
	"\x05IMAGE\x10\x02\x12\n" +
	"\n" +
	"\x06UNVEIL\x10\x03\"-\n" +
	"\fMountConfigs\x12\x0e\n" +
	"\n" +
	"ANY_MOUNTS\x10\x00\x12\r\n" +
	"\tNO_MOUNTS\x10\x01J\x04\b\a\x10\b\"\x14\n" +
	"\x12FingerprintRequest\"\xcf\x03\n" +
	"\x13FingerprintResponse\x12j\n" +
	"\n" +
	"attributes\x18\x01 \x03(\v2J.hashicorp.nomad.plugins.drivers.proto.FingerprintResponse.AttributesEntryR\n" +
	"attributes\x12^\n" +
	"\x06health\x18\x02 \x01(\x0e2F.hashicorp.nomad.plugins.drivers.proto.FingerprintResponse.HealthStateR\x06health\x12-\n" +
	"\x12health_description\x18\x03 \x01(\tR\x11healthDescription\x12\x10\n" +
	"\x03err\x18\x04 \x01(\tR\x03err\x1ap\n" +
	"\x0fAttributesEntry\x12\x10\n" +
	"\x03key\x18\x01 \x01(\tR\x03key\x12G\n" +
	"\x05value\x18\x02 \x01(\v21.hashicorp.nomad.plugins.shared.structs.AttributeR\x05value:\x028\x01\"9\n" +
	"\vHealthState\x12\x0e\n" +
	"\n" +
	"UNDETECTED\x10\x00\x12\r\n" +
	"\tUNHEALTHY\x10\x01\x12\v\n" +
	"\aHEALTHY\x10\x02\"x\n" +
	"\x12RecoverTaskRequest\x12\x17\n" +
	"\atask_id\x18\x01 \x01(\tR\x06taskId\x12I\n" +
	"\x06handle\x18\x02 \x01(\v21.hashicorp.nomad.plugins.drivers.proto.TaskHandleR\x06handle\"\x15\n" +
	"\x13RecoverTaskResponse\"Y\n" +
	"\x10StartTaskRequest\x12E\n" +
	"\x04task\x18\x01 \x01(\v21.hashicorp.nomad.plugins.drivers.proto.TaskConfigR\x04task\"\xf1\x02\n" +
	"\x11StartTaskResponse\x12W\n" +
	"\x06result\x18\x01 \x01(\x0e2?.hashicorp.nomad.plugins.drivers.proto.StartTaskResponse.ResultR\x06result\x12(\n" +
	"\x10driver_error_msg\x18\x02 \x01(\tR\x0edriverErrorMsg\x12I\n" +
	"\x06handle\x18\x03 \x01(\v21.hashicorp.nomad.plugins.drivers.proto.TaskHandleR\x06handle\x12a\n" +
	"\x10network_override\x18\x04 \x01(\v26.hashicorp.nomad.plugins.drivers.proto.NetworkOverrideR\x0fnetworkOverride\"+\n" +
	"\x06Result\x12\v\n" +
	"\aSUCCESS\x10\x00\x12\t\n" +
	"\x05RETRY\x10\x01\x12\t\n" +
	"\x05FATAL\x10\x02\"*\n" +
	"\x0fWaitTaskRequest\x12\x17\n" +
	"\atask_id\x18\x01 \x01(\tR\x06taskId\"o\n" +
	"\x10WaitTaskResponse\x12I\n" +
	"\x06result\x18\x01 \x01(\v21.hashicorp.nomad.plugins.drivers.proto.ExitResultR\x06result\x12\x10\n" +
	"\x03err\x18\x02 \x01(\tR\x03err\"w\n" +
	"\x0fStopTaskRequest\x12\x17\n" +
	"\atask_id\x18\x01 \x01(\tR\x06taskId\x123\n" +
	"\atimeout\x18\x02 \x01(\v2\x19.google.protobuf.DurationR\atimeout\x12\x16\n" +
	"\x06signal\x18\x03 \x01(\tR\x06signal\"\x12\n" +
	"\x10StopTaskResponse\"C\n" +
	"\x12DestroyTaskRequest\x12\x17\n" +
	"\atask_id\x18\x01 \x01(\tR\x06taskId\x12\x14\n" +
	"\x05force\x18\x02 \x01(\bR\x05force\"\x15\n" +
	"\x13DestroyTaskResponse\"-\n" +
	"\x12InspectTaskRequest\x12\x17\n" +
	"\atask_id\x18\x01 \x01(\tR\x06taskId\"\x90\x02\n" +
	"\x13InspectTaskResponse\x12E\n" +
	"\x04task\x18\x01 \x01(\v21.hashicorp.nomad.plugins.drivers.proto.TaskStatusR\x04task\x12O\n" +
	"\x06driver\x18\x02 \x01(\v27.hashicorp.nomad.plugins.drivers.proto.TaskDriverStatusR\x06driver\x12a\n" +
	"\x10network_override\x18\x03 \x01(\v26.hashicorp.nomad.plugins.drivers.proto.NetworkOverrideR\x0fnetworkOverride\"w\n" +
	"\x10TaskStatsRequest\x12\x17\n" +
	"\atask_id\x18\x01 \x01(\tR\x06taskId\x12J\n" +
	"\x13collection_interval\x18\x02 \x01(\v2\x19.google.protobuf.DurationR\x12collectionInterval\"[\n" +
	"\x11TaskStatsResponse\x12F\n" +
	"\x05stats\x18\x01 \x01(\v20.hashicorp.nomad.plugins.drivers.proto.TaskStatsR\x05stats\"\x13\n" +
	"\x11TaskEventsRequest\"D\n" +
	"\x11SignalTaskRequest\x12\x17\n" +
	"\atask_id\x18\x01 \x01(\tR\x06taskId\x12\x16\n" +
	"\x06signal\x18\x02 \x01(\tR\x06signal\"\x14\n" +
	"\x12SignalTaskResponse\"y\n" +
	"\x0fExecTaskRequest\x12\x17\n" +
	"\atask_id\x18\x01 \x01(\tR\x06taskId\x12\x18\n" +
	"\acommand\x18\x02 \x03(\tR\acommand\x123\n" +
	"\atimeout\x18\x03 \x01(\v2\x19.google.protobuf.DurationR\atimeout\"\x8d\x01\n" +
	"\x10ExecTaskResponse\x12\x16\n" +
	"\x06stdout\x18\x01 \x01(\fR\x06stdout\x12\x16\n" +
	"\x06stderr\x18\x02 \x01(\fR\x06stderr\x12I\n" +
	"\x06result\x18\x03 \x01(\v21.hashicorp.nomad.plugins.drivers.proto.ExitResultR\x06result\"H\n" +
	"\x1cExecTaskStreamingIOOperation\x12\x12\n" +
	"\x04data\x18\x01 \x01(\fR\x04data\x12\x14\n" +
	"\x05close\x18\x02 \x01(\bR\x05close\"\xc7\x03\n" +
	"\x18ExecTaskStreamingRequest\x12[\n" +
	"\x05setup\x18\x01 \x01(\v2E.hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingRequest.SetupR\x05setup\x12g\n" +
	"\btty_size\x18\x02 \x01(\v2L.hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingRequest.TerminalSizeR\attySize\x12Y\n" +
	"\x05stdin\x18\x03 \x01(\v2C.hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingIOOperationR\x05stdin\x1aL\n" +
	"\x05Setup\x12\x17\n" +
	"\atask_id\x18\x01 \x01(\tR\x06taskId\x12\x18\n" +
	"\acommand\x18\x02 \x03(\tR\acommand\x12\x10\n" +
	"\x03tty\x18\x03 \x01(\bR\x03tty\x1a<\n" +
	"\fTerminalSize\x12\x16\n" +
	"\x06height\x18\x01 \x01(\x05R\x06height\x12\x14\n" +
	"\x05width\x18\x02 \x01(\x05R\x05width\"\xb8\x02\n" +
	"\x19ExecTaskStreamingResponse\x12[\n" +
	"\x06stdout\x18\x01 \x01(\v2C.hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingIOOperationR\x06stdout\x12[\n" +
	"\x06stderr\x18\x02 \x01(\v2C.hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingIOOperationR\x06stderr\x12\x16\n" +
	"\x06exited\x18\x03 \x01(\bR\x06exited\x12I\n" +
	"\x06result\x18\x04 \x01(\v21.hashicorp.nomad.plugins.drivers.proto.ExitResultR\x06result\"M\n" +
	"\x14CreateNetworkRequest\x12\x19\n" +
	"\balloc_id\x18\x01 \x01(\tR\aallocId\x12\x1a\n" +
	"\bhostname\x18\x02 \x01(\tR\bhostname\"\x95\x01\n" +
	"\x15CreateNetworkResponse\x12b\n" +
	"\x0eisolation_spec\x18\x01 \x01(\v2;.hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpecR\risolationSpec\x12\x18\n" +
	"\acreated\x18\x02 \x01(\bR\acreated\"\x96\x01\n" +
	"\x15DestroyNetworkRequest\x12\x19\n" +
	"\balloc_id\x18\x01 \x01(\tR\aallocId\x12b\n" +
	"\x0eisolation_spec\x18\x02 \x01(\v2;.hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpecR\risolationSpec\"\x18\n" +
	"\x16DestroyNetworkResponse\"\r\n" +
	"\vInitRequest\"\x0e\n" +
	"\fInitResponse\"\x11\n" +
	"\x0fShutdownRequest\"\x12\n" +
	"\x10ShutdownResponse\"\xff\b\n" +
	"\n" +
	"TaskConfig\x12\x0e\n" +
	"\x02id\x18\x01 \x01(\tR\x02id\x12\x12\n" +
	"\x04name\x18\x02 \x01(\tR\x04name\x122\n" +
	"\x15msgpack_driver_config\x18\x03 \x01(\fR\x13msgpackDriverConfig\x12L\n" +
	"\x03env\x18\x04 \x03(\v2:.hashicorp.nomad.plugins.drivers.proto.TaskConfig.EnvEntryR\x03env\x12_\n" +
	"\n" +
	"device_env\x18\x05 \x03(\v2@.hashicorp.nomad.plugins.drivers.proto.TaskConfig.DeviceEnvEntryR\tdeviceEnv\x12N\n" +
	"\tresources\x18\x06 \x01(\v20.hashicorp.nomad.plugins.drivers.proto.ResourcesR\tresources\x12D\n" +
	"\x06mounts\x18\a \x03(\v2,.hashicorp.nomad.plugins.drivers.proto.MountR\x06mounts\x12G\n" +
	"\adevices\x18\b \x03(\v2-.hashicorp.nomad.plugins.drivers.proto.DeviceR\adevices\x12\x12\n" +
	"\x04user\x18\t \x01(\tR\x04user\x12\x1b\n" +
	"\talloc_dir\x18\n" +
	" \x01(\tR\ballocDir\x12\x1f\n" +
	"\vstdout_path\x18\v \x01(\tR\n" +
	"stdoutPath\x12\x1f\n" +
	"\vstderr_path\x18\f \x01(\tR\n" +
	"stderrPath\x12&\n" +
	"\x0ftask_group_name\x18\r \x01(\tR\rtaskGroupName\x12\x19\n" +
	"\bjob_name\x18\x0e \x01(\tR\ajobName\x12\x19\n" +
	"\balloc_id\x18\x0f \x01(\tR\aallocId\x12q\n" +
	"\x16network_isolation_spec\x18\x10 \x01(\v2;.hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpecR\x14networkIsolationSpec\x12B\n" +
	"\x03dns\x18\x11 \x01(\v20.hashicorp.nomad.plugins.drivers.proto.DNSConfigR\x03dns\x12\x15\n" +
	"\x06job_id\x18\x12 \x01(\tR\x05jobId\x12\x1c\n" +
	"\tnamespace\x18\x13 \x01(\tR\tnamespace\x12\x1b\n" +
	"\tnode_name\x18\x14 \x01(\tR\bnodeName\x12\x17\n" +
	"\anode_id\x18\x15 \x01(\tR\x06nodeId\x12\"\n" +
	"\rparent_job_id\x18\x16 \x01(\tR\vparentJobId\x1a6\n" +
	"\bEnvEntry\x12\x10\n" +
	"\x03key\x18\x01 \x01(\tR\x03key\x12\x14\n" +
	"\x05value\x18\x02 \x01(\tR\x05value:\x028\x01\x1a<\n" +
	"\x0eDeviceEnvEntry\x12\x10\n" +
	"\x03key\x18\x01 \x01(\tR\x03key\x12\x14\n" +
	"\x05value\x18\x02 \x01(\tR\x05value:\x028\x01\"\xa5\x02\n" +
	"\tResources\x12n\n" +
	"\x13allocated_resources\x18\x01 \x01(\v2=.hashicorp.nomad.plugins.drivers.proto.AllocatedTaskResourcesR\x12allocatedResources\x12^\n" +
	"\x0flinux_resources\x18\x02 \x01(\v25.hashicorp.nomad.plugins.drivers.proto.LinuxResourcesR\x0elinuxResources\x12H\n" +
	"\x05ports\x18\x03 \x03(\v22.hashicorp.nomad.plugins.drivers.proto.PortMappingR\x05ports\"\x95\x02\n" +
	"\x16AllocatedTaskResources\x12N\n" +
	"\x03cpu\x18\x01 \x01(\v2<.hashicorp.nomad.plugins.drivers.proto.AllocatedCpuResourcesR\x03cpu\x12W\n" +
	"\x06memory\x18\x02 \x01(\v2?.hashicorp.nomad.plugins.drivers.proto.AllocatedMemoryResourcesR\x06memory\x12R\n" +
	"\bnetworks\x18\x05 \x03(\v26.hashicorp.nomad.plugins.drivers.proto.NetworkResourceR\bnetworks\"6\n" +
	"\x15AllocatedCpuResources\x12\x1d\n" +
	"\n" +
	"cpu_shares\x18\x01 \x01(\x03R\tcpuShares\"[\n" +
	"\x18AllocatedMemoryResources\x12\x1b\n" +
	"\tmemory_mb\x18\x02 \x01(\x03R\bmemoryMb\x12\"\n" +
	"\rmemory_max_mb\x18\x03 \x01(\x03R\vmemoryMaxMb\"\x97\x02\n" +
	"\x0fNetworkResource\x12\x16\n" +
	"\x06device\x18\x01 \x01(\tR\x06device\x12\x12\n" +
	"\x04cidr\x18\x02 \x01(\tR\x04cidr\x12\x0e\n" +
	"\x02ip\x18\x03 \x01(\tR\x02ip\x12\x14\n" +
	"\x05mbits\x18\x04 \x01(\x05R\x05mbits\x12Y\n" +
	"\x0ereserved_ports\x18\x05 \x03(\v22.hashicorp.nomad.plugins.drivers.proto.NetworkPortR\rreservedPorts\x12W\n" +
	"\rdynamic_ports\x18\x06 \x03(\v22.hashicorp.nomad.plugins.drivers.proto.NetworkPortR\fdynamicPorts\"9\n" +
	"\vNetworkPort\x12\x14\n" +
	"\x05label\x18\x01 \x01(\tR\x05label\x12\x14\n" +
	"\x05value\x18\x02 \x01(\x05R\x05value\"\xad\x02\n" +
	"\x0eLinuxResources\x12\x1d\n" +
	"\n" +
	"cpu_period\x18\x01 \x01(\x03R\tcpuPeriod\x12\x1b\n" +
	"\tcpu_quota\x18\x02 \x01(\x03R\bcpuQuota\x12\x1d\n" +
	"\n" +
	"cpu_shares\x18\x03 \x01(\x03R\tcpuShares\x12,\n" +
	"\x12memory_limit_bytes\x18\x04 \x01(\x03R\x10memoryLimitBytes\x12\"\n" +
	"\room_score_adj\x18\x05 \x01(\x03R\voomScoreAdj\x12\x1f\n" +
	"\vcpuset_cpus\x18\x06 \x01(\tR\n" +
	"cpusetCpus\x12\"\n" +
	"\fPercentTicks\x18\b \x01(\x01R\fPercentTicks\x12#\n" +
	"\rcpuset_cgroup\x18\t \x01(\tR\fcpusetCgroupJ\x04\b\a\x10\b\"b\n" +
	"\vPortMapping\x12\x14\n" +
	"\x05label\x18\x01 \x01(\tR\x05label\x12\x14\n" +
	"\x05value\x18\x02 \x01(\x05R\x05value\x12\x0e\n" +
	"\x02to\x18\x03 \x01(\x05R\x02to\x12\x17\n" +
	"\ahost_ip\x18\x04 \x01(\tR\x06hostIp\"\xd0\x01\n" +
	"\x05Mount\x12\x1b\n" +
	"\ttask_path\x18\x01 \x01(\tR\btaskPath\x12\x1b\n" +
	"\thost_path\x18\x02 \x01(\tR\bhostPath\x12\x1a\n" +
	"\breadonly\x18\x03 \x01(\bR\breadonly\x12)\n" +
	"\x10propagation_mode\x18\x04 \x01(\tR\x0fpropagationMode\x12#\n" +
	"\rselinux_label\x18\x05 \x01(\tR\fselinuxLabel\x12!\n" +
	"\frequest_name\x18\x06 \x01(\tR\vrequestName\"q\n" +
	"\x06Device\x12\x1b\n" +
	"\ttask_path\x18\x01 \x01(\tR\btaskPath\x12\x1b\n" +
	"\thost_path\x18\x02 \x01(\tR\bhostPath\x12-\n" +
	"\x12cgroup_permissions\x18\x03 \x01(\tR\x11cgroupPermissions\"\xc3\x03\n" +
	"\x14NetworkIsolationSpec\x12d\n" +
	"\x04mode\x18\x01 \x01(\x0e2P.hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec.NetworkIsolationModeR\x04mode\x12\x12\n" +
	"\x04path\x18\x02 \x01(\tR\x04path\x12_\n" +
	"\x06labels\x18\x03 \x03(\v2G.hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec.LabelsEntryR\x06labels\x12T\n" +
	"\vhostsConfig\x18\x04 \x01(\v22.hashicorp.nomad.plugins.drivers.proto.HostsConfigR\vhostsConfig\x1a9\n" +
	"\vLabelsEntry\x12\x10\n" +
	"\x03key\x18\x01 \x01(\tR\x03key\x12\x14\n" +
	"\x05value\x18\x02 \x01(\tR\x05value:\x028\x01\"?\n" +
	"\x14NetworkIsolationMode\x12\b\n" +
	"\x04HOST\x10\x00\x12\t\n" +
	"\x05GROUP\x10\x01\x12\b\n" +
	"\x04TASK\x10\x02\x12\b\n" +
	"\x04NONE\x10\x03\"C\n" +
	"\vHostsConfig\x12\x1a\n" +
	"\bhostname\x18\x01 \x01(\tR\bhostname\x12\x18\n" +
	"\aaddress\x18\x02 \x01(\tR\aaddress\"[\n" +
	"\tDNSConfig\x12\x18\n" +
	"\aservers\x18\x01 \x03(\tR\aservers\x12\x1a\n" +
	"\bsearches\x18\x02 \x03(\tR\bsearches\x12\x18\n" +
	"\aoptions\x18\x03 \x03(\tR\aoptions\"\xdc\x01\n" +
	"\n" +
	"TaskHandle\x12\x18\n" +
	"\aversion\x18\x01 \x01(\x05R\aversion\x12I\n" +
	"\x06config\x18\x02 \x01(\v21.hashicorp.nomad.plugins.drivers.proto.TaskConfigR\x06config\x12F\n" +
	"\x05state\x18\x03 \x01(\x0e20.hashicorp.nomad.plugins.drivers.proto.TaskStateR\x05state\x12!\n" +
	"\fdriver_state\x18\x04 \x01(\fR\vdriverState\"\xe8\x01\n" +
	"\x0fNetworkOverride\x12^\n" +
	"\bport_map\x18\x01 \x03(\v2C.hashicorp.nomad.plugins.drivers.proto.NetworkOverride.PortMapEntryR\aportMap\x12\x12\n" +
	"\x04addr\x18\x02 \x01(\tR\x04addr\x12%\n" +
	"\x0eauto_advertise\x18\x03 \x01(\bR\rautoAdvertise\x1a:\n" +
	"\fPortMapEntry\x12\x10\n" +
	"\x03key\x18\x01 \x01(\tR\x03key\x12\x14\n" +
	"\x05value\x18\x02 \x01(\x05R\x05value:\x028\x01\"`\n" +
	"\n" +
	"ExitResult\x12\x1b\n" +
	"\texit_code\x18\x01 \x01(\x05R\bexitCode\x12\x16\n" +
	"\x06signal\x18\x02 \x01(\x05R\x06signal\x12\x1d\n" +
	"\n" +
	"oom_killed\x18\x03 \x01(\bR\toomKilled\"\xbd\x02\n" +
	"\n" +
	"TaskStatus\x12\x0e\n" +
	"\x02id\x18\x01 \x01(\tR\x02id\x12\x12\n" +
	"\x04name\x18\x02 \x01(\tR\x04name\x12F\n" +
	"\x05state\x18\x03 \x01(\x0e20.hashicorp.nomad.plugins.drivers.proto.TaskStateR\x05state\x129\n" +
	"\n" +
	"started_at\x18\x04 \x01(\v2\x1a.google.protobuf.TimestampR\tstartedAt\x12=\n" +
	"\fcompleted_at\x18\x05 \x01(\v2\x1a.google.protobuf.TimestampR\vcompletedAt\x12I\n" +
	"\x06result\x18\x06 \x01(\v21.hashicorp.nomad.plugins.drivers.proto.ExitResultR\x06result\"\xba\x01\n" +
	"\x10TaskDriverStatus\x12g\n" +
	"\n" +
	"attributes\x18\x01 \x03(\v2G.hashicorp.nomad.plugins.drivers.proto.TaskDriverStatus.AttributesEntryR\n" +
	"attributes\x1a=\n" +
	"\x0fAttributesEntry\x12\x10\n" +
	"\x03key\x18\x01 \x01(\tR\x03key\x12\x14\n" +
	"\x05value\x18\x02 \x01(\tR\x05value:\x028\x01\"\xbb\x03\n" +
	"\tTaskStats\x12\x0e\n" +
	"\x02id\x18\x01 \x01(\tR\x02id\x128\n" +
	"\ttimestamp\x18\x02 \x01(\v2\x1a.google.protobuf.TimestampR\ttimestamp\x12f\n" +
	"\x12agg_resource_usage\x18\x03 \x01(\v28.hashicorp.nomad.plugins.drivers.proto.TaskResourceUsageR\x10aggResourceUsage\x12{\n" +
	"\x15resource_usage_by_pid\x18\x04 \x03(\v2H.hashicorp.nomad.plugins.drivers.proto.TaskStats.ResourceUsageByPidEntryR\x12resourceUsageByPid\x1a\x7f\n" +
	"\x17ResourceUsageByPidEntry\x12\x10\n" +
	"\x03key\x18\x01 \x01(\tR\x03key\x12N\n" +
	"\x05value\x18\x02 \x01(\v28.hashicorp.nomad.plugins.drivers.proto.TaskResourceUsageR\x05value:\x028\x01\"\xa2\x01\n" +
	"\x11TaskResourceUsage\x12A\n" +
	"\x03cpu\x18\x01 \x01(\v2/.hashicorp.nomad.plugins.drivers.proto.CPUUsageR\x03cpu\x12J\n" +
	"\x06memory\x18\x02 \x01(\v22.hashicorp.nomad.plugins.drivers.proto.MemoryUsageR\x06memory\"\xab\x03\n" +
	"\bCPUUsage\x12\x1f\n" +
	"\vsystem_mode\x18\x01 \x01(\x01R\n" +
	"systemMode\x12\x1b\n" +
	"\tuser_mode\x18\x02 \x01(\x01R\buserMode\x12\x1f\n" +
	"\vtotal_ticks\x18\x03 \x01(\x01R\n" +
	"totalTicks\x12+\n" +
	"\x11throttled_periods\x18\x04 \x01(\x04R\x10throttledPeriods\x12%\n" +
	"\x0ethrottled_time\x18\x05 \x01(\x04R\rthrottledTime\x12\x18\n" +
	"\apercent\x18\x06 \x01(\x01R\apercent\x12_\n" +
	"\x0fmeasured_fields\x18\a \x03(\x0e26.hashicorp.nomad.plugins.drivers.proto.CPUUsage.FieldsR\x0emeasuredFields\"q\n" +
	"\x06Fields\x12\x0f\n" +
	"\vSYSTEM_MODE\x10\x00\x12\r\n" +
	"\tUSER_MODE\x10\x01\x12\x0f\n" +
	"\vTOTAL_TICKS\x10\x02\x12\x15\n" +
	"\x11THROTTLED_PERIODS\x10\x03\x12\x12\n" +
	"\x0eTHROTTLED_TIME\x10\x04\x12\v\n" +
	"\aPERCENT\x10\x05\"\x97\x03\n" +
	"\vMemoryUsage\x12\x10\n" +
	"\x03rss\x18\x01 \x01(\x04R\x03rss\x12\x14\n" +
	"\x05cache\x18\x02 \x01(\x04R\x05cache\x12\x1b\n" +
	"\tmax_usage\x18\x03 \x01(\x04R\bmaxUsage\x12!\n" +
	"\fkernel_usage\x18\x04 \x01(\x04R\vkernelUsage\x12(\n" +
	"\x10kernel_max_usage\x18\x05 \x01(\x04R\x0ekernelMaxUsage\x12b\n" +
	"\x0fmeasured_fields\x18\x06 \x03(\x0e29.hashicorp.nomad.plugins.drivers.proto.MemoryUsage.FieldsR\x0emeasuredFields\x12\x14\n" +
	"\x05usage\x18\a \x01(\x04R\x05usage\x12\x12\n" +
	"\x04swap\x18\b \x01(\x04R\x04swap\"h\n" +
	"\x06Fields\x12\a\n" +
	"\x03RSS\x10\x00\x12\t\n" +
	"\x05CACHE\x10\x01\x12\r\n" +
	"\tMAX_USAGE\x10\x02\x12\x10\n" +
	"\fKERNEL_USAGE\x10\x03\x12\x14\n" +
	"\x10KERNEL_MAX_USAGE\x10\x04\x12\t\n" +
	"\x05USAGE\x10\x05\x12\b\n" +
	"\x04SWAP\x10\x06\"\xe1\x02\n" +
	"\x0fDriverTaskEvent\x12\x17\n" +
	"\atask_id\x18\x01 \x01(\tR\x06taskId\x12\x19\n" +
	"\balloc_id\x18\x02 \x01(\tR\aallocId\x12\x1b\n" +
	"\ttask_name\x18\x03 \x01(\tR\btaskName\x128\n" +
	"\ttimestamp\x18\x04 \x01(\v2\x1a.google.protobuf.TimestampR\ttimestamp\x12\x18\n" +
	"\amessage\x18\x05 \x01(\tR\amessage\x12i\n" +
	"\vannotations\x18\x06 \x03(\v2G.hashicorp.nomad.plugins.drivers.proto.DriverTaskEvent.AnnotationsEntryR\vannotations\x1a>\n" +
	"\x10AnnotationsEntry\x12\x10\n" +
	"\x03key\x18\x01 \x01(\tR\x03key\x12\x14\n" +
	"\x05value\x18\x02 \x01(\tR\x05value:\x028\x01*1\n" +
	"\tTaskState\x12\v\n" +
	"\aUNKNOWN\x10\x00\x12\v\n" +
	"\aRUNNING\x10\x01\x12\n" +
	"\n" +
	"\x06EXITED\x10\x022\xef\x12\n" +
	"\x06Driver\x12\x93\x01\n" +
	"\x10TaskConfigSchema\x12>.hashicorp.nomad.plugins.drivers.proto.TaskConfigSchemaRequest\x1a?.hashicorp.nomad.plugins.drivers.proto.TaskConfigSchemaResponse\x12\x87\x01\n" +
	"\fCapabilities\x12:.hashicorp.nomad.plugins.drivers.proto.CapabilitiesRequest\x1a;.hashicorp.nomad.plugins.drivers.proto.CapabilitiesResponse\x12\x86\x01\n" +
	"\vFingerprint\x129.hashicorp.nomad.plugins.drivers.proto.FingerprintRequest\x1a:.hashicorp.nomad.plugins.drivers.proto.FingerprintResponse0\x01\x12\x84\x01\n" +
	"\vRecoverTask\x129.hashicorp.nomad.plugins.drivers.proto.RecoverTaskRequest\x1a:.hashicorp.nomad.plugins.drivers.proto.RecoverTaskResponse\x12~\n" +
	"\tStartTask\x127.hashicorp.nomad.plugins.drivers.proto.StartTaskRequest\x1a8.hashicorp.nomad.plugins.drivers.proto.StartTaskResponse\x12{\n" +
	"\bWaitTask\x126.hashicorp.nomad.plugins.drivers.proto.WaitTaskRequest\x1a7.hashicorp.nomad.plugins.drivers.proto.WaitTaskResponse\x12{\n" +
	"\bStopTask\x126.hashicorp.nomad.plugins.drivers.proto.StopTaskRequest\x1a7.hashicorp.nomad.plugins.drivers.proto.StopTaskResponse\x12\x84\x01\n" +
	"\vDestroyTask\x129.hashicorp.nomad.plugins.drivers.proto.DestroyTaskRequest\x1a:.hashicorp.nomad.plugins.drivers.proto.DestroyTaskResponse\x12\x84\x01\n" +
	"\vInspectTask\x129.hashicorp.nomad.plugins.drivers.proto.InspectTaskRequest\x1a:.hashicorp.nomad.plugins.drivers.proto.InspectTaskResponse\x12\x80\x01\n" +
	"\tTaskStats\x127.hashicorp.nomad.plugins.drivers.proto.TaskStatsRequest\x1a8.hashicorp.nomad.plugins.drivers.proto.TaskStatsResponse0\x01\x12\x80\x01\n" +
	"\n" +
	"TaskEvents\x128.hashicorp.nomad.plugins.drivers.proto.TaskEventsRequest\x1a6.hashicorp.nomad.plugins.drivers.proto.DriverTaskEvent0\x01\x12\x81\x01\n" +
	"\n" +
	"SignalTask\x128.hashicorp.nomad.plugins.drivers.proto.SignalTaskRequest\x1a9.hashicorp.nomad.plugins.drivers.proto.SignalTaskResponse\x12{\n" +
	"\bExecTask\x126.hashicorp.nomad.plugins.drivers.proto.ExecTaskRequest\x1a7.hashicorp.nomad.plugins.drivers.proto.ExecTaskResponse\x12\x9a\x01\n" +
	"\x11ExecTaskStreaming\x12?.hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingRequest\x1a@.hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingResponse(\x010\x01\x12\x8a\x01\n" +
	"\rCreateNetwork\x12;.hashicorp.nomad.plugins.drivers.proto.CreateNetworkRequest\x1a<.hashicorp.nomad.plugins.drivers.proto.CreateNetworkResponse\x12\x8d\x01\n" +
	"\x0eDestroyNetwork\x12<.hashicorp.nomad.plugins.drivers.proto.DestroyNetworkRequest\x1a=.hashicorp.nomad.plugins.drivers.proto.DestroyNetworkResponse\x12o\n" +
	"\x04Init\x122.hashicorp.nomad.plugins.drivers.proto.InitRequest\x1a3.hashicorp.nomad.plugins.drivers.proto.InitResponse\x12{\n" +
	"\bShutdown\x126.hashicorp.nomad.plugins.drivers.proto.ShutdownRequest\x1a7.hashicorp.nomad.plugins.drivers.proto.ShutdownResponseB3Z1github.com/yurt-sdk/yurt/go/gen/driverpb;driverpbb\x06proto3"

var (
	file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescOnce sync.Once
	file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescData []byte
)

func file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP() []byte {
	file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescOnce.Do(func() {
		file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescData = protoimpl.X.CompressGZIP(unsafe.Slice(unsafe.StringData(file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDesc), len(file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDesc)))
	})
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescData
}

var file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes = make([]protoimpl.EnumInfo, 8)
var file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes = make([]protoimpl.MessageInfo, 71)
var file_hashicorp_nomad_plugins_drivers_proto_driver_proto_goTypes = []any{
	(TaskState)(0),                                 // 0: hashicorp.nomad.plugins.drivers.proto.TaskState
	(DriverCapabilities_FSIsolation)(0),            // 1: hashicorp.nomad.plugins.drivers.proto.DriverCapabilities.FSIsolation
	(DriverCapabilities_MountConfigs)(0),           // 2: hashicorp.nomad.plugins.drivers.proto.DriverCapabilities.MountConfigs
	(FingerprintResponse_HealthState)(0),           // 3: hashicorp.nomad.plugins.drivers.proto.FingerprintResponse.HealthState
	(StartTaskResponse_Result)(0),                  // 4: hashicorp.nomad.plugins.drivers.proto.StartTaskResponse.Result
	(NetworkIsolationSpec_NetworkIsolationMode)(0), // 5: hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec.NetworkIsolationMode
	(CPUUsage_Fields)(0),                           // 6: hashicorp.nomad.plugins.drivers.proto.CPUUsage.Fields
	(MemoryUsage_Fields)(0),                        // 7: hashicorp.nomad.plugins.drivers.proto.MemoryUsage.Fields
	(*TaskConfigSchemaRequest)(nil),                // 8: hashicorp.nomad.plugins.drivers.proto.TaskConfigSchemaRequest
	(*TaskConfigSchemaResponse)(nil),               // 9: hashicorp.nomad.plugins.drivers.proto.TaskConfigSchemaResponse
	(*CapabilitiesRequest)(nil),                    // 10: hashicorp.nomad.plugins.drivers.proto.CapabilitiesRequest
	(*CapabilitiesResponse)(nil),                   // 11: hashicorp.nomad.plugins.drivers.proto.CapabilitiesResponse
	(*DriverCapabilities)(nil),                     // 12: hashicorp.nomad.plugins.drivers.proto.DriverCapabilities
	(*FingerprintRequest)(nil),                     // 13: hashicorp.nomad.plugins.drivers.proto.FingerprintRequest
	(*FingerprintResponse)(nil),                    // 14: hashicorp.nomad.plugins.drivers.proto.FingerprintResponse
	(*RecoverTaskRequest)(nil),                     // 15: hashicorp.nomad.plugins.drivers.proto.RecoverTaskRequest
	(*RecoverTaskResponse)(nil),                    // 16: hashicorp.nomad.plugins.drivers.proto.RecoverTaskResponse
	(*StartTaskRequest)(nil),                       // 17: hashicorp.nomad.plugins.drivers.proto.StartTaskRequest
	(*StartTaskResponse)(nil),                      // 18: hashicorp.nomad.plugins.drivers.proto.StartTaskResponse
	(*WaitTaskRequest)(nil),                        // 19: hashicorp.nomad.plugins.drivers.proto.WaitTaskRequest
	(*WaitTaskResponse)(nil),                       // 20: hashicorp.nomad.plugins.drivers.proto.WaitTaskResponse
	(*StopTaskRequest)(nil),                        // 21: hashicorp.nomad.plugins.drivers.proto.StopTaskRequest
	(*StopTaskResponse)(nil),                       // 22: hashicorp.nomad.plugins.drivers.proto.StopTaskResponse
	(*DestroyTaskRequest)(nil),                     // 23: hashicorp.nomad.plugins.drivers.proto.DestroyTaskRequest
	(*DestroyTaskResponse)(nil),                    // 24: hashicorp.nomad.plugins.drivers.proto.DestroyTaskResponse
	(*InspectTaskRequest)(nil),                     // 25: hashicorp.nomad.plugins.drivers.proto.InspectTaskRequest
	(*InspectTaskResponse)(nil),                    // 26: hashicorp.nomad.plugins.drivers.proto.InspectTaskResponse
	(*TaskStatsRequest)(nil),                       // 27: hashicorp.nomad.plugins.drivers.proto.TaskStatsRequest
	(*TaskStatsResponse)(nil),                      // 28: hashicorp.nomad.plugins.drivers.proto.TaskStatsResponse
	(*TaskEventsRequest)(nil),                      // 29: hashicorp.nomad.plugins.drivers.proto.TaskEventsRequest
	(*SignalTaskRequest)(nil),                      // 30: hashicorp.nomad.plugins.drivers.proto.SignalTaskRequest
	(*SignalTaskResponse)(nil),                     // 31: hashicorp.nomad.plugins.drivers.proto.SignalTaskResponse
	(*ExecTaskRequest)(nil),                        // 32: hashicorp.nomad.plugins.drivers.proto.ExecTaskRequest
	(*ExecTaskResponse)(nil),                       // 33: hashicorp.nomad.plugins.drivers.proto.ExecTaskResponse
	(*ExecTaskStreamingIOOperation)(nil),           // 34: hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingIOOperation
	(*ExecTaskStreamingRequest)(nil),               // 35: hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingRequest
	(*ExecTaskStreamingResponse)(nil),              // 36: hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingResponse
	(*CreateNetworkRequest)(nil),                   // 37: hashicorp.nomad.plugins.drivers.proto.CreateNetworkRequest
	(*CreateNetworkResponse)(nil),                  // 38: hashicorp.nomad.plugins.drivers.proto.CreateNetworkResponse
	(*DestroyNetworkRequest)(nil),                  // 39: hashicorp.nomad.plugins.drivers.proto.DestroyNetworkRequest
	(*DestroyNetworkResponse)(nil),                 // 40: hashicorp.nomad.plugins.drivers.proto.DestroyNetworkResponse
	(*InitRequest)(nil),                            // 41: hashicorp.nomad.plugins.drivers.proto.InitRequest
	(*InitResponse)(nil),                           // 42: hashicorp.nomad.plugins.drivers.proto.InitResponse
	(*ShutdownRequest)(nil),                        // 43: hashicorp.nomad.plugins.drivers.proto.ShutdownRequest
	(*ShutdownResponse)(nil),                       // 44: hashicorp.nomad.plugins.drivers.proto.ShutdownResponse
	(*TaskConfig)(nil),                             // 45: hashicorp.nomad.plugins.drivers.proto.TaskConfig
	(*Resources)(nil),                              // 46: hashicorp.nomad.plugins.drivers.proto.Resources
	(*AllocatedTaskResources)(nil),                 // 47: hashicorp.nomad.plugins.drivers.proto.AllocatedTaskResources
	(*AllocatedCpuResources)(nil),                  // 48: hashicorp.nomad.plugins.drivers.proto.AllocatedCpuResources
	(*AllocatedMemoryResources)(nil),               // 49: hashicorp.nomad.plugins.drivers.proto.AllocatedMemoryResources
	(*NetworkResource)(nil),                        // 50: hashicorp.nomad.plugins.drivers.proto.NetworkResource
	(*NetworkPort)(nil),                            // 51: hashicorp.nomad.plugins.drivers.proto.NetworkPort
	(*LinuxResources)(nil),                         // 52: hashicorp.nomad.plugins.drivers.proto.LinuxResources
	(*PortMapping)(nil),                            // 53: hashicorp.nomad.plugins.drivers.proto.PortMapping
	(*Mount)(nil),                                  // 54: hashicorp.nomad.plugins.drivers.proto.Mount
	(*Device)(nil),                                 // 55: hashicorp.nomad.plugins.drivers.proto.Device
	(*NetworkIsolationSpec)(nil),                   // 56: hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec
	(*HostsConfig)(nil),                            // 57: hashicorp.nomad.plugins.drivers.proto.HostsConfig
	(*DNSConfig)(nil),                              // 58: hashicorp.nomad.plugins.drivers.proto.DNSConfig
	(*TaskHandle)(nil),                             // 59: hashicorp.nomad.plugins.drivers.proto.TaskHandle
	(*NetworkOverride)(nil),                        // 60: hashicorp.nomad.plugins.drivers.proto.NetworkOverride
	(*ExitResult)(nil),                             // 61: hashicorp.nomad.plugins.drivers.proto.ExitResult
	(*TaskStatus)(nil),                             // 62: hashicorp.nomad.plugins.drivers.proto.TaskStatus
	(*TaskDriverStatus)(nil),                       // 63: hashicorp.nomad.plugins.drivers.proto.TaskDriverStatus
	(*TaskStats)(nil),                              // 64: hashicorp.nomad.plugins.drivers.proto.TaskStats
	(*TaskResourceUsage)(nil),                      // 65: hashicorp.nomad.plugins.drivers.proto.TaskResourceUsage
	(*CPUUsage)(nil),                               // 66: hashicorp.nomad.plugins.drivers.proto.CPUUsage
	(*MemoryUsage)(nil),                            // 67: hashicorp.nomad.plugins.drivers.proto.MemoryUsage
	(*DriverTaskEvent)(nil),                        // 68: hashicorp.nomad.plugins.drivers.proto.DriverTaskEvent
	nil,                                            // 69: hashicorp.nomad.plugins.drivers.proto.FingerprintResponse.AttributesEntry
	(*ExecTaskStreamingRequest_Setup)(nil),         // 70: hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingRequest.Setup
	(*ExecTaskStreamingRequest_TerminalSize)(nil),  // 71: hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingRequest.TerminalSize
	nil,                           // 72: hashicorp.nomad.plugins.drivers.proto.TaskConfig.EnvEntry
	nil,                           // 73: hashicorp.nomad.plugins.drivers.proto.TaskConfig.DeviceEnvEntry
	nil,                           // 74: hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec.LabelsEntry
	nil,                           // 75: hashicorp.nomad.plugins.drivers.proto.NetworkOverride.PortMapEntry
	nil,                           // 76: hashicorp.nomad.plugins.drivers.proto.TaskDriverStatus.AttributesEntry
	nil,                           // 77: hashicorp.nomad.plugins.drivers.proto.TaskStats.ResourceUsageByPidEntry
	nil,                           // 78: hashicorp.nomad.plugins.drivers.proto.DriverTaskEvent.AnnotationsEntry
	(*hclspecpb.Spec)(nil),        // 79: hashicorp.nomad.plugins.shared.hclspec.Spec
	(*durationpb.Duration)(nil),   // 80: google.protobuf.Duration
	(*timestamppb.Timestamp)(nil), // 81: google.protobuf.Timestamp
	(*structspb.Attribute)(nil),   // 82: hashicorp.nomad.plugins.shared.structs.Attribute
}
var file_hashicorp_nomad_plugins_drivers_proto_driver_proto_depIdxs = []int32{
	79, // 0: hashicorp.nomad.plugins.drivers.proto.TaskConfigSchemaResponse.spec:type_name -> hashicorp.nomad.plugins.shared.hclspec.Spec
	12, // 1: hashicorp.nomad.plugins.drivers.proto.CapabilitiesResponse.capabilities:type_name -> hashicorp.nomad.plugins.drivers.proto.DriverCapabilities
	1,  // 2: hashicorp.nomad.plugins.drivers.proto.DriverCapabilities.fs_isolation:type_name -> hashicorp.nomad.plugins.drivers.proto.DriverCapabilities.FSIsolation
	5,  // 3: hashicorp.nomad.plugins.drivers.proto.DriverCapabilities.network_isolation_modes:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec.NetworkIsolationMode
	2,  // 4: hashicorp.nomad.plugins.drivers.proto.DriverCapabilities.mount_configs:type_name -> hashicorp.nomad.plugins.drivers.proto.DriverCapabilities.MountConfigs
	69, // 5: hashicorp.nomad.plugins.drivers.proto.FingerprintResponse.attributes:type_name -> hashicorp.nomad.plugins.drivers.proto.FingerprintResponse.AttributesEntry
	3,  // 6: hashicorp.nomad.plugins.drivers.proto.FingerprintResponse.health:type_name -> hashicorp.nomad.plugins.drivers.proto.FingerprintResponse.HealthState
	59, // 7: hashicorp.nomad.plugins.drivers.proto.RecoverTaskRequest.handle:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskHandle
	45, // 8: hashicorp.nomad.plugins.drivers.proto.StartTaskRequest.task:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskConfig
	4,  // 9: hashicorp.nomad.plugins.drivers.proto.StartTaskResponse.result:type_name -> hashicorp.nomad.plugins.drivers.proto.StartTaskResponse.Result
	59, // 10: hashicorp.nomad.plugins.drivers.proto.StartTaskResponse.handle:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskHandle
	60, // 11: hashicorp.nomad.plugins.drivers.proto.StartTaskResponse.network_override:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkOverride
	61, // 12: hashicorp.nomad.plugins.drivers.proto.WaitTaskResponse.result:type_name -> hashicorp.nomad.plugins.drivers.proto.ExitResult
	80, // 13: hashicorp.nomad.plugins.drivers.proto.StopTaskRequest.timeout:type_name -> google.protobuf.Duration
	62, // 14: hashicorp.nomad.plugins.drivers.proto.InspectTaskResponse.task:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskStatus
	63, // 15: hashicorp.nomad.plugins.drivers.proto.InspectTaskResponse.driver:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskDriverStatus
	60, // 16: hashicorp.nomad.plugins.drivers.proto.InspectTaskResponse.network_override:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkOverride
	80, // 17: hashicorp.nomad.plugins.drivers.proto.TaskStatsRequest.collection_interval:type_name -> google.protobuf.Duration
	64, // 18: hashicorp.nomad.plugins.drivers.proto.TaskStatsResponse.stats:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskStats
	80, // 19: hashicorp.nomad.plugins.drivers.proto.ExecTaskRequest.timeout:type_name -> google.protobuf.Duration
	61, // 20: hashicorp.nomad.plugins.drivers.proto.ExecTaskResponse.result:type_name -> hashicorp.nomad.plugins.drivers.proto.ExitResult
	70, // 21: hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingRequest.setup:type_name -> hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingRequest.Setup
	71, // 22: hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingRequest.tty_size:type_name -> hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingRequest.TerminalSize
	34, // 23: hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingRequest.stdin:type_name -> hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingIOOperation
	34, // 24: hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingResponse.stdout:type_name -> hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingIOOperation
	34, // 25: hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingResponse.stderr:type_name -> hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingIOOperation
	61, // 26: hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingResponse.result:type_name -> hashicorp.nomad.plugins.drivers.proto.ExitResult
	56, // 27: hashicorp.nomad.plugins.drivers.proto.CreateNetworkResponse.isolation_spec:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec
	56, // 28: hashicorp.nomad.plugins.drivers.proto.DestroyNetworkRequest.isolation_spec:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec
	72, // 29: hashicorp.nomad.plugins.drivers.proto.TaskConfig.env:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskConfig.EnvEntry
	73, // 30: hashicorp.nomad.plugins.drivers.proto.TaskConfig.device_env:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskConfig.DeviceEnvEntry
	46, // 31: hashicorp.nomad.plugins.drivers.proto.TaskConfig.resources:type_name -> hashicorp.nomad.plugins.drivers.proto.Resources
	54, // 32: hashicorp.nomad.plugins.drivers.proto.TaskConfig.mounts:type_name -> hashicorp.nomad.plugins.drivers.proto.Mount
	55, // 33: hashicorp.nomad.plugins.drivers.proto.TaskConfig.devices:type_name -> hashicorp.nomad.plugins.drivers.proto.Device
	56, // 34: hashicorp.nomad.plugins.drivers.proto.TaskConfig.network_isolation_spec:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec
	58, // 35: hashicorp.nomad.plugins.drivers.proto.TaskConfig.dns:type_name -> hashicorp.nomad.plugins.drivers.proto.DNSConfig
	47, // 36: hashicorp.nomad.plugins.drivers.proto.Resources.allocated_resources:type_name -> hashicorp.nomad.plugins.drivers.proto.AllocatedTaskResources
	52, // 37: hashicorp.nomad.plugins.drivers.proto.Resources.linux_resources:type_name -> hashicorp.nomad.plugins.drivers.proto.LinuxResources
	53, // 38: hashicorp.nomad.plugins.drivers.proto.Resources.ports:type_name -> hashicorp.nomad.plugins.drivers.proto.PortMapping
	48, // 39: hashicorp.nomad.plugins.drivers.proto.AllocatedTaskResources.cpu:type_name -> hashicorp.nomad.plugins.drivers.proto.AllocatedCpuResources
	49, // 40: hashicorp.nomad.plugins.drivers.proto.AllocatedTaskResources.memory:type_name -> hashicorp.nomad.plugins.drivers.proto.AllocatedMemoryResources
	50, // 41: hashicorp.nomad.plugins.drivers.proto.AllocatedTaskResources.networks:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkResource
	51, // 42: hashicorp.nomad.plugins.drivers.proto.NetworkResource.reserved_ports:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkPort
	51, // 43: hashicorp.nomad.plugins.drivers.proto.NetworkResource.dynamic_ports:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkPort
	5,  // 44: hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec.mode:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec.NetworkIsolationMode
	74, // 45: hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec.labels:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec.LabelsEntry
	57, // 46: hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec.hostsConfig:type_name -> hashicorp.nomad.plugins.drivers.proto.HostsConfig
	45, // 47: hashicorp.nomad.plugins.drivers.proto.TaskHandle.config:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskConfig
	0,  // 48: hashicorp.nomad.plugins.drivers.proto.TaskHandle.state:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskState
	75, // 49: hashicorp.nomad.plugins.drivers.proto.NetworkOverride.port_map:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkOverride.PortMapEntry
	0,  // 50: hashicorp.nomad.plugins.drivers.proto.TaskStatus.state:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskState
	81, // 51: hashicorp.nomad.plugins.drivers.proto.TaskStatus.started_at:type_name -> google.protobuf.Timestamp
	81, // 52: hashicorp.nomad.plugins.drivers.proto.TaskStatus.completed_at:type_name -> google.protobuf.Timestamp
	61, // 53: hashicorp.nomad.plugins.drivers.proto.TaskStatus.result:type_name -> hashicorp.nomad.plugins.drivers.proto.ExitResult
	76, // 54: hashicorp.nomad.plugins.drivers.proto.TaskDriverStatus.attributes:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskDriverStatus.AttributesEntry
	81, // 55: hashicorp.nomad.plugins.drivers.proto.TaskStats.timestamp:type_name -> google.protobuf.Timestamp
	65, // 56: hashicorp.nomad.plugins.drivers.proto.TaskStats.agg_resource_usage:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskResourceUsage
	77, // 57: hashicorp.nomad.plugins.drivers.proto.TaskStats.resource_usage_by_pid:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskStats.ResourceUsageByPidEntry
	66, // 58: hashicorp.nomad.plugins.drivers.proto.TaskResourceUsage.cpu:type_name -> hashicorp.nomad.plugins.drivers.proto.CPUUsage
	67, // 59: hashicorp.nomad.plugins.drivers.proto.TaskResourceUsage.memory:type_name -> hashicorp.nomad.plugins.drivers.proto.MemoryUsage
	6,  // 60: hashicorp.nomad.plugins.drivers.proto.CPUUsage.measured_fields:type_name -> hashicorp.nomad.plugins.drivers.proto.CPUUsage.Fields
	7,  // 61: hashicorp.nomad.plugins.drivers.proto.MemoryUsage.measured_fields:type_name -> hashicorp.nomad.plugins.drivers.proto.MemoryUsage.Fields
	81, // 62: hashicorp.nomad.plugins.drivers.proto.DriverTaskEvent.timestamp:type_name -> google.protobuf.Timestamp
	78, // 63: hashicorp.nomad.plugins.drivers.proto.DriverTaskEvent.annotations:type_name -> hashicorp.nomad.plugins.drivers.proto.DriverTaskEvent.AnnotationsEntry
	82, // 64: hashicorp.nomad.plugins.drivers.proto.FingerprintResponse.AttributesEntry.value:type_name -> hashicorp.nomad.plugins.shared.structs.Attribute
	65, // 65: hashicorp.nomad.plugins.drivers.proto.TaskStats.ResourceUsageByPidEntry.value:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskResourceUsage
	8,  // 66: hashicorp.nomad.plugins.drivers.proto.Driver.TaskConfigSchema:input_type -> hashicorp.nomad.plugins.drivers.proto.TaskConfigSchemaRequest
	10, // 67: hashicorp.nomad.plugins.drivers.proto.Driver.Capabilities:input_type -> hashicorp.nomad.plugins.drivers.proto.CapabilitiesRequest
	13, // 68: hashicorp.nomad.plugins.drivers.proto.Driver.Fingerprint:input_type -> hashicorp.nomad.plugins.drivers.proto.FingerprintRequest
	15, // 69: hashicorp.nomad.plugins.drivers.proto.Driver.RecoverTask:input_type -> hashicorp.nomad.plugins.drivers.proto.RecoverTaskRequest
	17, // 70: hashicorp.nomad.plugins.drivers.proto.Driver.StartTask:input_type -> hashicorp.nomad.plugins.drivers.proto.StartTaskRequest
	19, // 71: hashicorp.nomad.plugins.drivers.proto.Driver.WaitTask:input_type -> hashicorp.nomad.plugins.drivers.proto.WaitTaskRequest
	21, // 72: hashicorp.nomad.plugins.drivers.proto.Driver.StopTask:input_type -> hashicorp.nomad.plugins.drivers.proto.StopTaskRequest
	23, // 73: hashicorp.nomad.plugins.drivers.proto.Driver.DestroyTask:input_type -> hashicorp.nomad.plugins.drivers.proto.DestroyTaskRequest
	25, // 74: hashicorp.nomad.plugins.drivers.proto.Driver.InspectTask:input_type -> hashicorp.nomad.plugins.drivers.proto.InspectTaskRequest
	27, // 75: hashicorp.nomad.plugins.drivers.proto.Driver.TaskStats:input_type -> hashicorp.nomad.plugins.drivers.proto.TaskStatsRequest
	29, // 76: hashicorp.nomad.plugins.drivers.proto.Driver.TaskEvents:input_type -> hashicorp.nomad.plugins.drivers.proto.TaskEventsRequest
	30, // 77: hashicorp.nomad.plugins.drivers.proto.Driver.SignalTask:input_type -> hashicorp.nomad.plugins.drivers.proto.SignalTaskRequest
	32, // 78: hashicorp.nomad.plugins.drivers.proto.Driver.ExecTask:input_type -> hashicorp.nomad.plugins.drivers.proto.ExecTaskRequest
	35, // 79: hashicorp.nomad.plugins.drivers.proto.Driver.ExecTaskStreaming:input_type -> hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingRequest
	37, // 80: hashicorp.nomad.plugins.drivers.proto.Driver.CreateNetwork:input_type -> hashicorp.nomad.plugins.drivers.proto.CreateNetworkRequest
	39, // 81: hashicorp.nomad.plugins.drivers.proto.Driver.DestroyNetwork:input_type -> hashicorp.nomad.plugins.drivers.proto.DestroyNetworkRequest
	41, // 82: hashicorp.nomad.plugins.drivers.proto.Driver.Init:input_type -> hashicorp.nomad.plugins.drivers.proto.InitRequest
	43, // 83: hashicorp.nomad.plugins.drivers.proto.Driver.Shutdown:input_type -> hashicorp.nomad.plugins.drivers.proto.ShutdownRequest
	9,  // 84: hashicorp.nomad.plugins.drivers.proto.Driver.TaskConfigSchema:output_type -> hashicorp.nomad.plugins.drivers.proto.TaskConfigSchemaResponse
	11, // 85: hashicorp.nomad.plugins.drivers.proto.Driver.Capabilities:output_type -> hashicorp.nomad.plugins.drivers.proto.CapabilitiesResponse
	14, // 86: hashicorp.nomad.plugins.drivers.proto.Driver.Fingerprint:output_type -> hashicorp.nomad.plugins.drivers.proto.FingerprintResponse
	16, // 87: hashicorp.nomad.plugins.drivers.proto.Driver.RecoverTask:output_type -> hashicorp.nomad.plugins.drivers.proto.RecoverTaskResponse
	18, // 88: hashicorp.nomad.plugins.drivers.proto.Driver.StartTask:output_type -> hashicorp.nomad.plugins.drivers.proto.StartTaskResponse
	20, // 89: hashicorp.nomad.plugins.drivers.proto.Driver.WaitTask:output_type -> hashicorp.nomad.plugins.drivers.proto.WaitTaskResponse
	22, // 90: hashicorp.nomad.plugins.drivers.proto.Driver.StopTask:output_type -> hashicorp.nomad.plugins.drivers.proto.StopTaskResponse
	24, // 91: hashicorp.nomad.plugins.drivers.proto.Driver.DestroyTask:output_type -> hashicorp.nomad.plugins.drivers.proto.DestroyTaskResponse
	26, // 92: hashicorp.nomad.plugins.drivers.proto.Driver.InspectTask:output_type -> hashicorp.nomad.plugins.drivers.proto.InspectTaskResponse
	28, // 93: hashicorp.nomad.plugins.drivers.proto.Driver.TaskStats:output_type -> hashicorp.nomad.plugins.drivers.proto.TaskStatsResponse
	68, // 94: hashicorp.nomad.plugins.drivers.proto.Driver.TaskEvents:output_type -> hashicorp.nomad.plugins.drivers.proto.DriverTaskEvent
	31, // 95: hashicorp.nomad.plugins.drivers.proto.Driver.SignalTask:output_type -> hashicorp.nomad.plugins.drivers.proto.SignalTaskResponse
	33, // 96: hashicorp.nomad.plugins.drivers.proto.Driver.ExecTask:output_type -> hashicorp.nomad.plugins.drivers.proto.ExecTaskResponse
	36, // 97: hashicorp.nomad.plugins.drivers.proto.Driver.ExecTaskStreaming:output_type -> hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingResponse
	38, // 98: hashicorp.nomad.plugins.drivers.proto.Driver.CreateNetwork:output_type -> hashicorp.nomad.plugins.drivers.proto.CreateNetworkResponse
	40, // 99: hashicorp.nomad.plugins.drivers.proto.Driver.DestroyNetwork:output_type -> hashicorp.nomad.plugins.drivers.proto.DestroyNetworkResponse
	42, // 100: hashicorp.nomad.plugins.drivers.proto.Driver.Init:output_type -> hashicorp.nomad.plugins.drivers.proto.InitResponse
	44, // 101: hashicorp.nomad.plugins.drivers.proto.Driver.Shutdown:output_type -> hashicorp.nomad.plugins.drivers.proto.ShutdownResponse
	84, // [84:102] is the sub-list for method output_type
	66, // [66:84] is the sub-list for method input_type
	66, // [66:66] is the sub-list for extension type_name
	66, // [66:66] is the sub-list for extension extendee
	0,  // [0:66] is the sub-list for field type_name
}

func init() { file_hashicorp_nomad_plugins_drivers_proto_driver_proto_init() }
func file_hashicorp_nomad_plugins_drivers_proto_driver_proto_init() {
	if File_hashicorp_nomad_plugins_drivers_proto_driver_proto != nil {
		return
	}
	type x struct{}
	out := protoimpl.TypeBuilder{
		File: protoimpl.DescBuilder{
			GoPackagePath: reflect.TypeOf(x{}).PkgPath(),
			RawDescriptor: unsafe.Slice(unsafe.StringData(file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDesc), len(file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDesc)),
			NumEnums:      8,
			NumMessages:   71,
			NumExtensions: 0,
			NumServices:   1,
		},
		GoTypes:           file_hashicorp_nomad_plugins_drivers_proto_driver_proto_goTypes,
		DependencyIndexes: file_hashicorp_nomad_plugins_drivers_proto_driver_proto_depIdxs,
		EnumInfos:         file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes,
		MessageInfos:      file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes,
	}.Build()
	File_hashicorp_nomad_plugins_drivers_proto_driver_proto = out.File
	file_hashicorp_nomad_plugins_drivers_proto_driver_proto_goTypes = nil
	file_hashicorp_nomad_plugins_drivers_proto_driver_proto_depIdxs = nil
}
