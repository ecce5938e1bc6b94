from hipknee.cli import main

raise SystemExit(main())
