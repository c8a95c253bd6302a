//! The bits of process setup shared by tasks and exec sessions: a clean signal state, the
//! task's user, and exit statuses in Nomad's terms.

use std::io;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

use crate::state::RunAs;

/// Runs in the forked child before exec: only async-signal-safe calls. Restores default signal
/// dispositions (the plugin's host or the supervisor may have set SIG_IGN, which exec keeps) and
/// drops to `user`.
pub fn child_setup(user: Option<&RunAs>, groups: &[libc::gid_t]) -> io::Result<()> {
    // SAFETY: signal, setgroups, setgid and setuid are async-signal-safe; the arguments are
    // plain values prepared before fork.
    unsafe {
        for sig in 1..32 {
            if sig != libc::SIGKILL && sig != libc::SIGSTOP {
                libc::signal(sig, libc::SIG_DFL);
            }
        }
        if let Some(u) = user
            && (libc::setgroups(groups.len(), groups.as_ptr()) != 0
                || libc::setgid(u.gid) != 0
                || libc::setuid(u.uid) != 0)
        {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// `(exit_code, signal)` as Nomad's executor reports them: a signal death is 128 + signal.
pub fn exit_parts(status: ExitStatus) -> (i32, i32) {
    match (status.code(), status.signal()) {
        (Some(c), _) => (c, 0),
        (None, Some(s)) => (128 + s, s),
        (None, None) => (-1, 0),
    }
}

/// Signal number for a name such as `SIGTERM`, `TERM` or `15`.
pub fn signal_number(name: &str) -> Option<i32> {
    let n = name.trim();
    if let Ok(v) = n.parse::<i32>() {
        return (1..65).contains(&v).then_some(v);
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

/// Looks a user up by name: uid, primary gid and supplementary groups.
pub fn lookup_user(name: &str) -> Result<RunAs, String> {
    let cname =
        std::ffi::CString::new(name).map_err(|_| format!("user: {name:?} contains a NUL byte"))?;
    let mut pw: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buf = vec![0u8; 16384];
    let mut out: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: all pointers refer to live buffers of the stated sizes.
    let rc = unsafe {
        libc::getpwnam_r(
            cname.as_ptr(),
            &mut pw,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut out,
        )
    };
    if rc != 0 || out.is_null() {
        return Err(format!("user: no such user {name:?} on this host"));
    }
    let mut groups = vec![0 as libc::gid_t; 256];
    let mut n = groups.len() as libc::c_int;
    // SAFETY: groups holds n entries; getgrouplist writes at most n and updates n.
    let rc = unsafe { libc::getgrouplist(cname.as_ptr(), pw.pw_gid, groups.as_mut_ptr(), &mut n) };
    let n = if rc < 0 {
        0
    } else {
        usize::try_from(n).unwrap_or(0)
    };
    groups.truncate(n);
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

/// The user a task runs as: `None` to stay as the plugin's user. A different user needs root.
pub fn resolve_user(name: &str) -> Result<Option<RunAs>, String> {
    if name.is_empty() {
        return Ok(None);
    }
    let u = lookup_user(name)?;
    // SAFETY: geteuid cannot fail.
    let euid = unsafe { libc::geteuid() };
    if euid == 0 {
        Ok(Some(u))
    } else if u.uid == euid {
        Ok(None)
    } else {
        Err(format!(
            "user: running tasks as {name:?} needs the plugin to run as root; it runs as uid {euid}"
        ))
    }
}

/// Finds `program` the way a shell would, with the task's `PATH`.
pub fn resolve_program(program: &str, path_var: Option<&str>, cwd: &str) -> Result<String, String> {
    use std::os::unix::fs::PermissionsExt;
    let executable = |p: &std::path::Path| {
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if program.is_empty() {
        return Err("command: expected a program to run, got \"\"".into());
    }
    if program.contains('/') {
        let p = std::path::Path::new(cwd).join(program);
        return if executable(&p) {
            Ok(p.to_string_lossy().into_owned())
        } else {
            Err(format!("command: {program:?} is not an executable file"))
        };
    }
    let path = path_var.unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    path.split(':')
        .filter(|d| !d.is_empty())
        .map(|d| std::path::Path::new(d).join(program))
        .find(|p| executable(p))
        .map(|p| p.to_string_lossy().into_owned())
        .ok_or_else(|| format!("command: {program:?} not found in PATH {path:?}"))
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
        assert_eq!(
            resolve_program("sh", Some("/nonexistent:/bin"), "/").unwrap(),
            "/bin/sh"
        );
        let e = resolve_program("no-such-prog-xyz", Some("/bin"), "/").unwrap_err();
        assert!(e.starts_with("command:") && e.contains("not found"), "{e}");
        assert!(
            resolve_program("", None, "/")
                .unwrap_err()
                .starts_with("command:")
        );
        assert!(
            resolve_program("./nope", None, "/")
                .unwrap_err()
                .contains("not an executable")
        );
    }

    #[test]
    fn users_resolve() {
        let root = lookup_user("root").unwrap();
        assert_eq!((root.uid, root.gid), (0, 0));
        assert!(
            lookup_user("no-such-user-xyz")
                .unwrap_err()
                .contains("no such user")
        );
        assert_eq!(resolve_user("").unwrap(), None);
    }
}
