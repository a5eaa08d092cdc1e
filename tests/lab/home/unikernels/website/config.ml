(* Mirage Lab fast lab sample: a MirageOS 4 project (tests/lab/README.md). Its Makefile
   stands in for the generated one: `make build` writes a new dist/website.xen. *)
open Mirage

let main = main "Unikernel.Main" (http @-> job)
let () = register "website" [ main $ cohttp_server (conduit_direct (generic_stackv4v6 default_network)) ]
