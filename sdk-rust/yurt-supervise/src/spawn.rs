//! Running a process in a task's context (the spec's command lookup, environment, working
//! directory and user) with a clean signal state. Shared by the supervisor (the task itself) and
//! by exec (commands run inside a running task).

use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Error, TaskSpec};

/// PATH used to find the command when the spec's environment has none (Nomad's default).
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// A resolved user to switch to (only when it differs from the caller's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunAs {
    /// The spec's user, as written.
    pub name: String,
    /// Numeric user ID.
    pub uid: libc::uid_t,
    /// Primary group.
    pub gid: libc::gid_t,
    /// Supplementary groups.
    pub groups: Vec<libc::gid_t>,
}

/// Which part of the context failed in the child (reported through the step pipe).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Step {
    User = 1,
    WorkingDir = 2,
    WorkingDirWritable = 3,
    Cgroup = 4,
}

/// A spec resolved into what `exec` needs; every problem is reported naming the spec field.
#[derive(Debug, Clone)]
pub struct Context {
    /// The program to execute.
    pub program: PathBuf,
    /// The environment, parsed.
    pub env: Vec<(String, String)>,
    /// The working directory ("/" when the spec has none).
    pub working_dir: PathBuf,
    /// Whether the spec named the working directory (then it must be writable).
    pub explicit_working_dir: bool,
    /// The user to switch to, if any.
    pub user: Option<RunAs>,
}

impl Context {
    /// Resolves `command` (the spec's, or an exec's argv\[0\]) in the spec's context.
    pub fn new(spec: &TaskSpec, command: &str) -> Result<Context, Error> {
        let mut env = Vec::with_capacity(spec.env.len());
        for (i, kv) in spec.env.iter().enumerate() {
            match kv.split_once('=') {
                Some((k, v)) if !k.is_empty() => env.push((k.to_string(), v.to_string())),
                _ => {
                    return Err(Error::invalid(format!(
                        "env[{i}]: expected \"KEY=VALUE\", got {kv:?}"
                    )));
                }
            }
        }
        let explicit_working_dir = !spec.working_dir.is_empty();
        let working_dir = PathBuf::from(if explicit_working_dir {
            spec.working_dir.as_str()
        } else {
            "/"
        });
        match std::fs::metadata(&working_dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(Error::invalid(format!(
                    "working_dir {:?}: not a directory",
                    spec.working_dir
                )));
            }
            Err(e) => {
                return Err(Error::invalid(format!(
                    "working_dir {:?}: {e}",
                    spec.working_dir
                )));
            }
        }
        let user = resolve_user(&spec.user)?;
        let path = env
            .iter()
            .rev()
            .find(|(k, _)| k == "PATH")
            .map(|(_, v)| v.as_str());
        let program = resolve_program(command, path, &working_dir)?;
        Ok(Context {
            program,
            env,
            working_dir,
            explicit_working_dir,
            user,
        })
    }

    /// A `Command` for `args` in this context: cleared environment plus the spec's, default
    /// signal dispositions and an empty signal mask, the user switched, the working directory
    /// entered (and checked writable when named) after the switch. Stdio is left to the caller.
    ///
    /// The child first writes "0" to each of `join` (cgroup.procs files: it joins the task's
    /// cgroup before anything else, as root).
    ///
    /// Returns the command and the read end of a pipe on which the child reports which step
    /// failed (see [`Context::explain`]).
    pub fn command(&self, args: &[String], join: Vec<CString>) -> io::Result<(Command, OwnedFd)> {
        let mut cmd = Command::new(&self.program);
        cmd.args(args)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        let (rd, wr) = pipe()?;
        let user = self.user.clone();
        let dir = CString::new(self.working_dir.as_os_str().as_encoded_bytes())
            .map_err(|_| io::Error::other("working_dir contains a NUL byte"))?;
        let check_writable = self.explicit_working_dir;
        let wr_fd = wr.as_raw_fd();
        // SAFETY: the closure runs in the forked child and makes only async-signal-safe calls
        // (sigaction, sigprocmask, setgroups, setgid, setuid, chdir, access, write, syscall).
        unsafe {
            cmd.pre_exec(move || {
                let _keep = &wr;
                child_setup(&join, user.as_ref(), &dir, check_writable, wr_fd)
            });
        }
        Ok((cmd, rd))
    }

    /// Turns a failed spawn into an error naming the field at fault, using what the child
    /// wrote on the step pipe (`step`'s read end; the `Command` must have been dropped).
    pub fn explain(&self, spec: &TaskSpec, command: &str, step: OwnedFd, err: &io::Error) -> Error {
        let mut b = [0u8; 1];
        let mut f = std::fs::File::from(step);
        let n = io::Read::read(&mut f, &mut b).unwrap_or(0);
        let step = (n == 1).then_some(b[0]);
        match step {
            Some(s) if s == Step::User as u8 => {
                Error::invalid(format!("user {:?}: cannot switch to it: {err}", spec.user))
            }
            Some(s) if s == Step::WorkingDir as u8 => {
                Error::invalid(format!("working_dir {:?}: {err}", spec.working_dir))
            }
            Some(s) if s == Step::WorkingDirWritable as u8 => Error::invalid(format!(
                "working_dir {:?}: not writable by the task's user: {err}",
                spec.working_dir
            )),
            Some(s) if s == Step::Cgroup as u8 => {
                Error::failed(format!("limits: joining the task's cgroup: {err}"))
            }
            _ => Error::invalid(format!(
                "command {command:?} ({}): {err}",
                self.program.display()
            )),
        }
    }
}

fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [-1; 2];
    // SAFETY: pipe2 writes two descriptors into a live array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: two fresh descriptors owned by nothing else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Runs in the forked child: only async-signal-safe calls.
fn child_setup(
    join: &[CString],
    user: Option<&RunAs>,
    dir: &CString,
    check_writable: bool,
    step_fd: libc::c_int,
) -> io::Result<()> {
    let fail = |step: Step| {
        let e = io::Error::last_os_error();
        let b = [step as u8];
        // SAFETY: write from a live one-byte buffer.
        unsafe { libc::write(step_fd, b.as_ptr().cast(), 1) };
        Err(e)
    };
    // SAFETY: every call below is async-signal-safe and takes plain values or live pointers.
    unsafe {
        // Default dispositions for every signal: SIG_IGN survives exec, so whatever the plugin
        // or the supervisor ignores would otherwise be ignored by the task too.
        // The raw system call: glibc's sigaction refuses the signals it reserves (32, 33),
        // which a parent may still have set to SIG_IGN. The kernel's struct sigaction is
        // {handler, flags, restorer, mask} on x86_64 and aarch64; all zero is SIG_DFL.
        let dfl = [0u64; 4];
        for sig in 1..=64 {
            if sig != libc::SIGKILL && sig != libc::SIGSTOP {
                libc::syscall(
                    libc::SYS_rt_sigaction,
                    sig,
                    dfl.as_ptr(),
                    std::ptr::null_mut::<u64>(),
                    8usize,
                );
            }
        }
        // The first (memory, or the v2 cgroup) is the task's cgroup and must be joined; the
        // other v1 controllers are best effort (the cpu controller refuses a real-time
        // process where the cgroup has no real-time budget).
        for (i, procs) in join.iter().enumerate() {
            let fd = libc::open(procs.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
            let ok = fd >= 0 && libc::write(fd, c"0".as_ptr().cast(), 1) == 1;
            if fd >= 0 {
                libc::close(fd);
            }
            if !ok && i == 0 {
                return fail(Step::Cgroup);
            }
        }
        let mut empty: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut empty);
        libc::sigprocmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut());
        if let Some(u) = user
            && (libc::setgroups(u.groups.len(), u.groups.as_ptr()) != 0
                || libc::setgid(u.gid) != 0
                || libc::setuid(u.uid) != 0)
        {
            return fail(Step::User);
        }
        if libc::chdir(dir.as_ptr()) != 0 {
            return fail(Step::WorkingDir);
        }
        if check_writable && libc::access(c".".as_ptr(), libc::W_OK) != 0 {
            return fail(Step::WorkingDirWritable);
        }
        // Nothing the caller left open (without close-on-exec) leaks into the task.
        libc::syscall(
            libc::SYS_close_range,
            3u32,
            u32::MAX,
            libc::CLOSE_RANGE_CLOEXEC,
        );
    }
    Ok(())
}

/// Resolves the spec's user: `None` for "stay as we are" (empty, or the caller's own user).
/// Another user needs root; a user that does not exist is an error naming the field.
pub fn resolve_user(name: &str) -> Result<Option<RunAs>, Error> {
    if name.is_empty() {
        return Ok(None);
    }
    let u = lookup_user(name)?;
    // SAFETY: geteuid cannot fail.
    let euid = unsafe { libc::geteuid() };
    if u.uid == euid {
        Ok(None)
    } else if euid == 0 {
        Ok(Some(u))
    } else {
        Err(Error::invalid(format!(
            "user {name:?}: running a task as another user needs root; the plugin runs as uid {euid}"
        )))
    }
}

/// Looks a user up by name or numeric ID: uid, primary gid and supplementary groups.
pub fn lookup_user(name: &str) -> Result<RunAs, Error> {
    let cname = CString::new(name)
        .map_err(|_| Error::invalid(format!("user {name:?}: contains a NUL byte")))?;
    // SAFETY: zeroed passwd is a valid out-parameter.
    let mut pw: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buf = vec![0u8; 16384];
    let mut out: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: all pointers refer to live buffers of the stated sizes.
    let rc = unsafe {
        match name.parse::<libc::uid_t>() {
            Ok(uid) => libc::getpwuid_r(uid, &mut pw, buf.as_mut_ptr().cast(), buf.len(), &mut out),
            Err(_) => libc::getpwnam_r(
                cname.as_ptr(),
                &mut pw,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut out,
            ),
        }
    };
    if rc != 0 || out.is_null() {
        // "unknown user <name>" is the text Nomad's raw_exec gives and its test
        // looks for (hashicorp/nomad v2.0.5 drivers/rawexec/driver_unix_test.go
        // TestRawExecDriver_User), and what the Go layer says (os/user).
        return Err(Error::invalid(format!(
            "user {name:?}: no such user on this host (unknown user {name})"
        )));
    }
    let mut groups = vec![0 as libc::gid_t; 256];
    let mut n = libc::c_int::try_from(groups.len()).unwrap_or(256);
    // SAFETY: pw_name is a NUL-terminated string inside buf; groups holds n entries.
    let rc = unsafe { libc::getgrouplist(pw.pw_name, pw.pw_gid, groups.as_mut_ptr(), &mut n) };
    groups.truncate(if rc < 0 {
        0
    } else {
        usize::try_from(n).unwrap_or(0)
    });
    if groups.is_empty() {
        groups.push(pw.pw_gid);
    }
    Ok(RunAs {
        name: name.to_string(),
        uid: pw.pw_uid,
        gid: pw.pw_gid,
        groups,
    })
}

/// Finds `command` as a shell would: a path containing '/' is taken relative to `cwd`; a bare
/// name is looked up in `path_var` (or [`DEFAULT_PATH`]).
pub fn resolve_program(
    command: &str,
    path_var: Option<&str>,
    cwd: &Path,
) -> Result<PathBuf, Error> {
    let executable = |p: &Path| {
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if command.is_empty() {
        return Err(Error::invalid(
            "command: expected a program to run, got \"\"",
        ));
    }
    if command.contains('/') {
        let p = cwd.join(command);
        return match std::fs::metadata(&p) {
            Err(e) => Err(Error::invalid(format!("command {command:?}: {e}"))),
            Ok(_) if !executable(&p) => Err(Error::invalid(format!(
                "command {command:?}: not an executable file"
            ))),
            Ok(_) => Ok(p),
        };
    }
    let path = path_var.unwrap_or(DEFAULT_PATH);
    path.split(':')
        .filter(|d| !d.is_empty())
        .map(|d| Path::new(d).join(command))
        .find(|p| executable(p))
        .ok_or_else(|| {
            Error::invalid(format!(
                "command {command:?}: no such file: not found in PATH {path:?}"
            ))
        })
}

/// `(exit_code, signal)` as Nomad's executor reports them: 128+N for a death by signal N.
pub fn exit_parts(status: libc::c_int) -> (i32, i32) {
    if libc::WIFSIGNALED(status) {
        let s = libc::WTERMSIG(status);
        (128 + s, s)
    } else {
        (libc::WEXITSTATUS(status), 0)
    }
}

/// Signal number for a name such as `SIGTERM`, `TERM`, `sigusr1` or `15`.
pub fn signal_number(name: &str) -> Option<i32> {
    let n = name.trim();
    if let Ok(v) = n.parse::<i32>() {
        return (1..=64).contains(&v).then_some(v);
    }
    let n = n.to_ascii_uppercase();
    let n = n.strip_prefix("SIG").unwrap_or(&n);
    Some(match n {
        "HUP" => libc::SIGHUP,
        "INT" => libc::SIGINT,
        "QUIT" => libc::SIGQUIT,
        "ILL" => libc::SIGILL,
        "TRAP" => libc::SIGTRAP,
        "ABRT" | "IOT" => libc::SIGABRT,
        "BUS" => libc::SIGBUS,
        "FPE" => libc::SIGFPE,
        "KILL" => libc::SIGKILL,
        "USR1" => libc::SIGUSR1,
        "SEGV" => libc::SIGSEGV,
        "USR2" => libc::SIGUSR2,
        "PIPE" => libc::SIGPIPE,
        "ALRM" => libc::SIGALRM,
        "TERM" => libc::SIGTERM,
        "CHLD" => libc::SIGCHLD,
        "CONT" => libc::SIGCONT,
        "STOP" => libc::SIGSTOP,
        "TSTP" => libc::SIGTSTP,
        "TTIN" => libc::SIGTTIN,
        "TTOU" => libc::SIGTTOU,
        "URG" => libc::SIGURG,
        "XCPU" => libc::SIGXCPU,
        "XFSZ" => libc::SIGXFSZ,
        "VTALRM" => libc::SIGVTALRM,
        "PROF" => libc::SIGPROF,
        "WINCH" => libc::SIGWINCH,
        "IO" | "POLL" => libc::SIGIO,
        "PWR" => libc::SIGPWR,
        "SYS" => libc::SIGSYS,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_names() {
        assert_eq!(signal_number("SIGTERM"), Some(libc::SIGTERM));
        assert_eq!(signal_number("usr1"), Some(libc::SIGUSR1));
        assert_eq!(signal_number("9"), Some(9));
        assert_eq!(signal_number("SIGNOPE"), None);
        assert_eq!(signal_number("0"), None);
    }

    #[test]
    fn programs_resolve_through_path_or_fail_naming_the_field() {
        let root = Path::new("/");
        assert_eq!(
            resolve_program("sh", Some("/nonexistent:/bin"), root).unwrap(),
            Path::new("/bin/sh")
        );
        let e = resolve_program("no-such-prog-xyz", Some("/bin"), root)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("command \"no-such-prog-xyz\"") && e.contains("not found"),
            "{e}"
        );
        assert!(
            resolve_program("", None, root)
                .unwrap_err()
                .to_string()
                .starts_with("command")
        );
        let e = resolve_program("./nope", None, root)
            .unwrap_err()
            .to_string();
        assert!(e.contains("No such file"), "{e}");
    }

    #[test]
    fn users_resolve_by_name_and_id() {
        let root = lookup_user("root").unwrap();
        assert_eq!((root.uid, root.gid), (0, 0));
        assert_eq!(lookup_user("0").unwrap().uid, 0);
        let e = lookup_user("no-such-user-xyz").unwrap_err().to_string();
        assert!(
            e.starts_with("user \"no-such-user-xyz\"") && e.contains("no such user"),
            "{e}"
        );
        assert_eq!(resolve_user("").unwrap(), None);
    }

    #[test]
    fn exit_statuses_follow_nomad() {
        assert_eq!(exit_parts(3 << 8), (3, 0));
        assert_eq!(exit_parts(libc::SIGKILL), (137, 9));
    }
}
