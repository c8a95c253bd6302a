// Yurt contracts: Nomad plugin API v0.1.0, the task driver service.
//
// Written for Yurt from the wire facts of Nomad's plugin API. The package,
// service, message and field names and numbers below are fixed by the wire and
// MUST NOT change: a Nomad agent calls them by these names.
//
// The package is split over four files of the same package: this one (the
// Driver service and its requests and responses), task.proto (the task:
// config, resources, mounts, network, handle, status, events), exec.proto
// (ExecTask and ExecTaskStreaming) and task_stats.proto (resource usage).
// The wire knows packages and names, not files: the split changes nothing a
// Nomad agent sees. What this header says holds for all four.
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
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[0].Descriptor()
}

func (DriverCapabilities_FSIsolation) Type() protoreflect.EnumType {
	return &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[0]
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
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[1].Descriptor()
}

func (DriverCapabilities_MountConfigs) Type() protoreflect.EnumType {
	return &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[1]
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
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[2].Descriptor()
}

func (FingerprintResponse_HealthState) Type() protoreflect.EnumType {
	return &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[2]
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
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[3].Descriptor()
}

func (StartTaskResponse_Result) Type() protoreflect.EnumType {
	return &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes[3]
}

func (x StartTaskResponse_Result) Number() protoreflect.EnumNumber {
	return protoreflect.EnumNumber(x)
}

// Deprecated: Use StartTaskResponse_Result.Descriptor instead.
func (StartTaskResponse_Result) EnumDescriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{10, 0}
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
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[24]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CreateNetworkRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CreateNetworkRequest) ProtoMessage() {}

func (x *CreateNetworkRequest) ProtoReflect() protoreflect.Message {
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

// Deprecated: Use CreateNetworkRequest.ProtoReflect.Descriptor instead.
func (*CreateNetworkRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{24}
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
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[25]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *CreateNetworkResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*CreateNetworkResponse) ProtoMessage() {}

func (x *CreateNetworkResponse) ProtoReflect() protoreflect.Message {
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

// Deprecated: Use CreateNetworkResponse.ProtoReflect.Descriptor instead.
func (*CreateNetworkResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{25}
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
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[26]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DestroyNetworkRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DestroyNetworkRequest) ProtoMessage() {}

func (x *DestroyNetworkRequest) ProtoReflect() protoreflect.Message {
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

// Deprecated: Use DestroyNetworkRequest.ProtoReflect.Descriptor instead.
func (*DestroyNetworkRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{26}
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
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[27]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *DestroyNetworkResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*DestroyNetworkResponse) ProtoMessage() {}

func (x *DestroyNetworkResponse) ProtoReflect() protoreflect.Message {
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

// Deprecated: Use DestroyNetworkResponse.ProtoReflect.Descriptor instead.
func (*DestroyNetworkResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{27}
}

// InitRequest is empty.
type InitRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *InitRequest) Reset() {
	*x = InitRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[28]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *InitRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*InitRequest) ProtoMessage() {}

func (x *InitRequest) ProtoReflect() protoreflect.Message {
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

// Deprecated: Use InitRequest.ProtoReflect.Descriptor instead.
func (*InitRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{28}
}

// InitResponse is empty.
type InitResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *InitResponse) Reset() {
	*x = InitResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[29]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *InitResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*InitResponse) ProtoMessage() {}

func (x *InitResponse) ProtoReflect() protoreflect.Message {
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

// Deprecated: Use InitResponse.ProtoReflect.Descriptor instead.
func (*InitResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{29}
}

// ShutdownRequest is empty.
type ShutdownRequest struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ShutdownRequest) Reset() {
	*x = ShutdownRequest{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[30]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ShutdownRequest) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ShutdownRequest) ProtoMessage() {}

func (x *ShutdownRequest) ProtoReflect() protoreflect.Message {
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

// Deprecated: Use ShutdownRequest.ProtoReflect.Descriptor instead.
func (*ShutdownRequest) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{30}
}

// ShutdownResponse is empty.
type ShutdownResponse struct {
	state         protoimpl.MessageState `protogen:"open.v1"`
	unknownFields protoimpl.UnknownFields
	sizeCache     protoimpl.SizeCache
}

func (x *ShutdownResponse) Reset() {
	*x = ShutdownResponse{}
	mi := &file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes[31]
	ms := protoimpl.X.MessageStateOf(protoimpl.Pointer(x))
	ms.StoreMessageInfo(mi)
}

func (x *ShutdownResponse) String() string {
	return protoimpl.X.MessageStringOf(x)
}

func (*ShutdownResponse) ProtoMessage() {}

func (x *ShutdownResponse) ProtoReflect() protoreflect.Message {
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

// Deprecated: Use ShutdownResponse.ProtoReflect.Descriptor instead.
func (*ShutdownResponse) Descriptor() ([]byte, []int) {
	return file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDescGZIP(), []int{31}
}

var File_hashicorp_nomad_plugins_drivers_proto_driver_proto protoreflect.FileDescriptor

const file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDesc = "" +
	"\n" +
	"2hashicorp/nomad/plugins/drivers/proto/driver.proto\x12%hashicorp.nomad.plugins.drivers.proto\x1a\x1egoogle/protobuf/duration.proto\x1a0hashicorp/nomad/plugins/drivers/proto/exec.proto\x1a0hashicorp/nomad/plugins/drivers/proto/task.proto\x1a6hashicorp/nomad/plugins/drivers/proto/task_stats.proto\x1a4hashicorp/nomad/plugins/shared/hclspec/hclspec.proto\x1a6hashicorp/nomad/plugins/shared/structs/attribute.proto\"\x19\n" +
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
	"\x12SignalTaskResponse\"M\n" +
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
	"\x10ShutdownResponse2\xef\x12\n" +
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

var file_hashicorp_nomad_plugins_drivers_proto_driver_proto_enumTypes = make([]protoimpl.EnumInfo, 4)
var file_hashicorp_nomad_plugins_drivers_proto_driver_proto_msgTypes = make([]protoimpl.MessageInfo, 33)
var file_hashicorp_nomad_plugins_drivers_proto_driver_proto_goTypes = []any{
	(DriverCapabilities_FSIsolation)(0),            // 0: hashicorp.nomad.plugins.drivers.proto.DriverCapabilities.FSIsolation
	(DriverCapabilities_MountConfigs)(0),           // 1: hashicorp.nomad.plugins.drivers.proto.DriverCapabilities.MountConfigs
	(FingerprintResponse_HealthState)(0),           // 2: hashicorp.nomad.plugins.drivers.proto.FingerprintResponse.HealthState
	(StartTaskResponse_Result)(0),                  // 3: hashicorp.nomad.plugins.drivers.proto.StartTaskResponse.Result
	(*TaskConfigSchemaRequest)(nil),                // 4: hashicorp.nomad.plugins.drivers.proto.TaskConfigSchemaRequest
	(*TaskConfigSchemaResponse)(nil),               // 5: hashicorp.nomad.plugins.drivers.proto.TaskConfigSchemaResponse
	(*CapabilitiesRequest)(nil),                    // 6: hashicorp.nomad.plugins.drivers.proto.CapabilitiesRequest
	(*CapabilitiesResponse)(nil),                   // 7: hashicorp.nomad.plugins.drivers.proto.CapabilitiesResponse
	(*DriverCapabilities)(nil),                     // 8: hashicorp.nomad.plugins.drivers.proto.DriverCapabilities
	(*FingerprintRequest)(nil),                     // 9: hashicorp.nomad.plugins.drivers.proto.FingerprintRequest
	(*FingerprintResponse)(nil),                    // 10: hashicorp.nomad.plugins.drivers.proto.FingerprintResponse
	(*RecoverTaskRequest)(nil),                     // 11: hashicorp.nomad.plugins.drivers.proto.RecoverTaskRequest
	(*RecoverTaskResponse)(nil),                    // 12: hashicorp.nomad.plugins.drivers.proto.RecoverTaskResponse
	(*StartTaskRequest)(nil),                       // 13: hashicorp.nomad.plugins.drivers.proto.StartTaskRequest
	(*StartTaskResponse)(nil),                      // 14: hashicorp.nomad.plugins.drivers.proto.StartTaskResponse
	(*WaitTaskRequest)(nil),                        // 15: hashicorp.nomad.plugins.drivers.proto.WaitTaskRequest
	(*WaitTaskResponse)(nil),                       // 16: hashicorp.nomad.plugins.drivers.proto.WaitTaskResponse
	(*StopTaskRequest)(nil),                        // 17: hashicorp.nomad.plugins.drivers.proto.StopTaskRequest
	(*StopTaskResponse)(nil),                       // 18: hashicorp.nomad.plugins.drivers.proto.StopTaskResponse
	(*DestroyTaskRequest)(nil),                     // 19: hashicorp.nomad.plugins.drivers.proto.DestroyTaskRequest
	(*DestroyTaskResponse)(nil),                    // 20: hashicorp.nomad.plugins.drivers.proto.DestroyTaskResponse
	(*InspectTaskRequest)(nil),                     // 21: hashicorp.nomad.plugins.drivers.proto.InspectTaskRequest
	(*InspectTaskResponse)(nil),                    // 22: hashicorp.nomad.plugins.drivers.proto.InspectTaskResponse
	(*TaskStatsRequest)(nil),                       // 23: hashicorp.nomad.plugins.drivers.proto.TaskStatsRequest
	(*TaskStatsResponse)(nil),                      // 24: hashicorp.nomad.plugins.drivers.proto.TaskStatsResponse
	(*TaskEventsRequest)(nil),                      // 25: hashicorp.nomad.plugins.drivers.proto.TaskEventsRequest
	(*SignalTaskRequest)(nil),                      // 26: hashicorp.nomad.plugins.drivers.proto.SignalTaskRequest
	(*SignalTaskResponse)(nil),                     // 27: hashicorp.nomad.plugins.drivers.proto.SignalTaskResponse
	(*CreateNetworkRequest)(nil),                   // 28: hashicorp.nomad.plugins.drivers.proto.CreateNetworkRequest
	(*CreateNetworkResponse)(nil),                  // 29: hashicorp.nomad.plugins.drivers.proto.CreateNetworkResponse
	(*DestroyNetworkRequest)(nil),                  // 30: hashicorp.nomad.plugins.drivers.proto.DestroyNetworkRequest
	(*DestroyNetworkResponse)(nil),                 // 31: hashicorp.nomad.plugins.drivers.proto.DestroyNetworkResponse
	(*InitRequest)(nil),                            // 32: hashicorp.nomad.plugins.drivers.proto.InitRequest
	(*InitResponse)(nil),                           // 33: hashicorp.nomad.plugins.drivers.proto.InitResponse
	(*ShutdownRequest)(nil),                        // 34: hashicorp.nomad.plugins.drivers.proto.ShutdownRequest
	(*ShutdownResponse)(nil),                       // 35: hashicorp.nomad.plugins.drivers.proto.ShutdownResponse
	nil,                                            // 36: hashicorp.nomad.plugins.drivers.proto.FingerprintResponse.AttributesEntry
	(*hclspecpb.Spec)(nil),                         // 37: hashicorp.nomad.plugins.shared.hclspec.Spec
	(NetworkIsolationSpec_NetworkIsolationMode)(0), // 38: hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec.NetworkIsolationMode
	(*TaskHandle)(nil),                             // 39: hashicorp.nomad.plugins.drivers.proto.TaskHandle
	(*TaskConfig)(nil),                             // 40: hashicorp.nomad.plugins.drivers.proto.TaskConfig
	(*NetworkOverride)(nil),                        // 41: hashicorp.nomad.plugins.drivers.proto.NetworkOverride
	(*ExitResult)(nil),                             // 42: hashicorp.nomad.plugins.drivers.proto.ExitResult
	(*durationpb.Duration)(nil),                    // 43: google.protobuf.Duration
	(*TaskStatus)(nil),                             // 44: hashicorp.nomad.plugins.drivers.proto.TaskStatus
	(*TaskDriverStatus)(nil),                       // 45: hashicorp.nomad.plugins.drivers.proto.TaskDriverStatus
	(*TaskStats)(nil),                              // 46: hashicorp.nomad.plugins.drivers.proto.TaskStats
	(*NetworkIsolationSpec)(nil),                   // 47: hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec
	(*structspb.Attribute)(nil),                    // 48: hashicorp.nomad.plugins.shared.structs.Attribute
	(*ExecTaskRequest)(nil),                        // 49: hashicorp.nomad.plugins.drivers.proto.ExecTaskRequest
	(*ExecTaskStreamingRequest)(nil),               // 50: hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingRequest
	(*DriverTaskEvent)(nil),                        // 51: hashicorp.nomad.plugins.drivers.proto.DriverTaskEvent
	(*ExecTaskResponse)(nil),                       // 52: hashicorp.nomad.plugins.drivers.proto.ExecTaskResponse
	(*ExecTaskStreamingResponse)(nil),              // 53: hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingResponse
}
var file_hashicorp_nomad_plugins_drivers_proto_driver_proto_depIdxs = []int32{
	37, // 0: hashicorp.nomad.plugins.drivers.proto.TaskConfigSchemaResponse.spec:type_name -> hashicorp.nomad.plugins.shared.hclspec.Spec
	8,  // 1: hashicorp.nomad.plugins.drivers.proto.CapabilitiesResponse.capabilities:type_name -> hashicorp.nomad.plugins.drivers.proto.DriverCapabilities
	0,  // 2: hashicorp.nomad.plugins.drivers.proto.DriverCapabilities.fs_isolation:type_name -> hashicorp.nomad.plugins.drivers.proto.DriverCapabilities.FSIsolation
	38, // 3: hashicorp.nomad.plugins.drivers.proto.DriverCapabilities.network_isolation_modes:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec.NetworkIsolationMode
	1,  // 4: hashicorp.nomad.plugins.drivers.proto.DriverCapabilities.mount_configs:type_name -> hashicorp.nomad.plugins.drivers.proto.DriverCapabilities.MountConfigs
	36, // 5: hashicorp.nomad.plugins.drivers.proto.FingerprintResponse.attributes:type_name -> hashicorp.nomad.plugins.drivers.proto.FingerprintResponse.AttributesEntry
	2,  // 6: hashicorp.nomad.plugins.drivers.proto.FingerprintResponse.health:type_name -> hashicorp.nomad.plugins.drivers.proto.FingerprintResponse.HealthState
	39, // 7: hashicorp.nomad.plugins.drivers.proto.RecoverTaskRequest.handle:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskHandle
	40, // 8: hashicorp.nomad.plugins.drivers.proto.StartTaskRequest.task:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskConfig
	3,  // 9: hashicorp.nomad.plugins.drivers.proto.StartTaskResponse.result:type_name -> hashicorp.nomad.plugins.drivers.proto.StartTaskResponse.Result
	39, // 10: hashicorp.nomad.plugins.drivers.proto.StartTaskResponse.handle:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskHandle
	41, // 11: hashicorp.nomad.plugins.drivers.proto.StartTaskResponse.network_override:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkOverride
	42, // 12: hashicorp.nomad.plugins.drivers.proto.WaitTaskResponse.result:type_name -> hashicorp.nomad.plugins.drivers.proto.ExitResult
	43, // 13: hashicorp.nomad.plugins.drivers.proto.StopTaskRequest.timeout:type_name -> google.protobuf.Duration
	44, // 14: hashicorp.nomad.plugins.drivers.proto.InspectTaskResponse.task:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskStatus
	45, // 15: hashicorp.nomad.plugins.drivers.proto.InspectTaskResponse.driver:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskDriverStatus
	41, // 16: hashicorp.nomad.plugins.drivers.proto.InspectTaskResponse.network_override:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkOverride
	43, // 17: hashicorp.nomad.plugins.drivers.proto.TaskStatsRequest.collection_interval:type_name -> google.protobuf.Duration
	46, // 18: hashicorp.nomad.plugins.drivers.proto.TaskStatsResponse.stats:type_name -> hashicorp.nomad.plugins.drivers.proto.TaskStats
	47, // 19: hashicorp.nomad.plugins.drivers.proto.CreateNetworkResponse.isolation_spec:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec
	47, // 20: hashicorp.nomad.plugins.drivers.proto.DestroyNetworkRequest.isolation_spec:type_name -> hashicorp.nomad.plugins.drivers.proto.NetworkIsolationSpec
	48, // 21: hashicorp.nomad.plugins.drivers.proto.FingerprintResponse.AttributesEntry.value:type_name -> hashicorp.nomad.plugins.shared.structs.Attribute
	4,  // 22: hashicorp.nomad.plugins.drivers.proto.Driver.TaskConfigSchema:input_type -> hashicorp.nomad.plugins.drivers.proto.TaskConfigSchemaRequest
	6,  // 23: hashicorp.nomad.plugins.drivers.proto.Driver.Capabilities:input_type -> hashicorp.nomad.plugins.drivers.proto.CapabilitiesRequest
	9,  // 24: hashicorp.nomad.plugins.drivers.proto.Driver.Fingerprint:input_type -> hashicorp.nomad.plugins.drivers.proto.FingerprintRequest
	11, // 25: hashicorp.nomad.plugins.drivers.proto.Driver.RecoverTask:input_type -> hashicorp.nomad.plugins.drivers.proto.RecoverTaskRequest
	13, // 26: hashicorp.nomad.plugins.drivers.proto.Driver.StartTask:input_type -> hashicorp.nomad.plugins.drivers.proto.StartTaskRequest
	15, // 27: hashicorp.nomad.plugins.drivers.proto.Driver.WaitTask:input_type -> hashicorp.nomad.plugins.drivers.proto.WaitTaskRequest
	17, // 28: hashicorp.nomad.plugins.drivers.proto.Driver.StopTask:input_type -> hashicorp.nomad.plugins.drivers.proto.StopTaskRequest
	19, // 29: hashicorp.nomad.plugins.drivers.proto.Driver.DestroyTask:input_type -> hashicorp.nomad.plugins.drivers.proto.DestroyTaskRequest
	21, // 30: hashicorp.nomad.plugins.drivers.proto.Driver.InspectTask:input_type -> hashicorp.nomad.plugins.drivers.proto.InspectTaskRequest
	23, // 31: hashicorp.nomad.plugins.drivers.proto.Driver.TaskStats:input_type -> hashicorp.nomad.plugins.drivers.proto.TaskStatsRequest
	25, // 32: hashicorp.nomad.plugins.drivers.proto.Driver.TaskEvents:input_type -> hashicorp.nomad.plugins.drivers.proto.TaskEventsRequest
	26, // 33: hashicorp.nomad.plugins.drivers.proto.Driver.SignalTask:input_type -> hashicorp.nomad.plugins.drivers.proto.SignalTaskRequest
	49, // 34: hashicorp.nomad.plugins.drivers.proto.Driver.ExecTask:input_type -> hashicorp.nomad.plugins.drivers.proto.ExecTaskRequest
	50, // 35: hashicorp.nomad.plugins.drivers.proto.Driver.ExecTaskStreaming:input_type -> hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingRequest
	28, // 36: hashicorp.nomad.plugins.drivers.proto.Driver.CreateNetwork:input_type -> hashicorp.nomad.plugins.drivers.proto.CreateNetworkRequest
	30, // 37: hashicorp.nomad.plugins.drivers.proto.Driver.DestroyNetwork:input_type -> hashicorp.nomad.plugins.drivers.proto.DestroyNetworkRequest
	32, // 38: hashicorp.nomad.plugins.drivers.proto.Driver.Init:input_type -> hashicorp.nomad.plugins.drivers.proto.InitRequest
	34, // 39: hashicorp.nomad.plugins.drivers.proto.Driver.Shutdown:input_type -> hashicorp.nomad.plugins.drivers.proto.ShutdownRequest
	5,  // 40: hashicorp.nomad.plugins.drivers.proto.Driver.TaskConfigSchema:output_type -> hashicorp.nomad.plugins.drivers.proto.TaskConfigSchemaResponse
	7,  // 41: hashicorp.nomad.plugins.drivers.proto.Driver.Capabilities:output_type -> hashicorp.nomad.plugins.drivers.proto.CapabilitiesResponse
	10, // 42: hashicorp.nomad.plugins.drivers.proto.Driver.Fingerprint:output_type -> hashicorp.nomad.plugins.drivers.proto.FingerprintResponse
	12, // 43: hashicorp.nomad.plugins.drivers.proto.Driver.RecoverTask:output_type -> hashicorp.nomad.plugins.drivers.proto.RecoverTaskResponse
	14, // 44: hashicorp.nomad.plugins.drivers.proto.Driver.StartTask:output_type -> hashicorp.nomad.plugins.drivers.proto.StartTaskResponse
	16, // 45: hashicorp.nomad.plugins.drivers.proto.Driver.WaitTask:output_type -> hashicorp.nomad.plugins.drivers.proto.WaitTaskResponse
	18, // 46: hashicorp.nomad.plugins.drivers.proto.Driver.StopTask:output_type -> hashicorp.nomad.plugins.drivers.proto.StopTaskResponse
	20, // 47: hashicorp.nomad.plugins.drivers.proto.Driver.DestroyTask:output_type -> hashicorp.nomad.plugins.drivers.proto.DestroyTaskResponse
	22, // 48: hashicorp.nomad.plugins.drivers.proto.Driver.InspectTask:output_type -> hashicorp.nomad.plugins.drivers.proto.InspectTaskResponse
	24, // 49: hashicorp.nomad.plugins.drivers.proto.Driver.TaskStats:output_type -> hashicorp.nomad.plugins.drivers.proto.TaskStatsResponse
	51, // 50: hashicorp.nomad.plugins.drivers.proto.Driver.TaskEvents:output_type -> hashicorp.nomad.plugins.drivers.proto.DriverTaskEvent
	27, // 51: hashicorp.nomad.plugins.drivers.proto.Driver.SignalTask:output_type -> hashicorp.nomad.plugins.drivers.proto.SignalTaskResponse
	52, // 52: hashicorp.nomad.plugins.drivers.proto.Driver.ExecTask:output_type -> hashicorp.nomad.plugins.drivers.proto.ExecTaskResponse
	53, // 53: hashicorp.nomad.plugins.drivers.proto.Driver.ExecTaskStreaming:output_type -> hashicorp.nomad.plugins.drivers.proto.ExecTaskStreamingResponse
	29, // 54: hashicorp.nomad.plugins.drivers.proto.Driver.CreateNetwork:output_type -> hashicorp.nomad.plugins.drivers.proto.CreateNetworkResponse
	31, // 55: hashicorp.nomad.plugins.drivers.proto.Driver.DestroyNetwork:output_type -> hashicorp.nomad.plugins.drivers.proto.DestroyNetworkResponse
	33, // 56: hashicorp.nomad.plugins.drivers.proto.Driver.Init:output_type -> hashicorp.nomad.plugins.drivers.proto.InitResponse
	35, // 57: hashicorp.nomad.plugins.drivers.proto.Driver.Shutdown:output_type -> hashicorp.nomad.plugins.drivers.proto.ShutdownResponse
	40, // [40:58] is the sub-list for method output_type
	22, // [22:40] is the sub-list for method input_type
	22, // [22:22] is the sub-list for extension type_name
	22, // [22:22] is the sub-list for extension extendee
	0,  // [0:22] is the sub-list for field type_name
}

func init() { file_hashicorp_nomad_plugins_drivers_proto_driver_proto_init() }
func file_hashicorp_nomad_plugins_drivers_proto_driver_proto_init() {
	if File_hashicorp_nomad_plugins_drivers_proto_driver_proto != nil {
		return
	}
	file_hashicorp_nomad_plugins_drivers_proto_exec_proto_init()
	file_hashicorp_nomad_plugins_drivers_proto_task_proto_init()
	file_hashicorp_nomad_plugins_drivers_proto_task_stats_proto_init()
	type x struct{}
	out := protoimpl.TypeBuilder{
		File: protoimpl.DescBuilder{
			GoPackagePath: reflect.TypeOf(x{}).PkgPath(),
			RawDescriptor: unsafe.Slice(unsafe.StringData(file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDesc), len(file_hashicorp_nomad_plugins_drivers_proto_driver_proto_rawDesc)),
			NumEnums:      4,
			NumMessages:   33,
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
