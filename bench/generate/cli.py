"""The command line: ``.venv/bin/python bench/generate --db NAME --orders N --seed S``."""

import sys

import common

import generate

# The tables the generator fills most: their planner statistics are refreshed.
ANALYZED = (
    "sale_order",
    "sale_order_line",
    "stock_move",
    "stock_move_line",
    "account_move",
    "account_move_line",
)
# What the generator writes needs these modules (the OMS addons are optional).
REQUIRED_MODULES = {"sale_stock", "account", "product_brand", "crm"}


def parse_args(argv=None):
    parser = common.argument_parser(
        generate.__doc__, seed=42, orders=1000, orders_help="orders to add"
    )
    parser.add_argument(
        "--paid-quotations",
        type=int,
        default=0,
        help="add this many recent quotations paid in full, not confirmed yet",
    )
    parser.prog = "bench/generate"
    parser.add_argument("--addons-path", help="override the addons path")
    parser.add_argument("--no-check", action="store_true", help="skip the self-check")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    progress = generate.Progress(lambda msg: print(msg, flush=True))
    with common.open_env(args) as env:
        missing = REQUIRED_MODULES - set(
            env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
        )
        if missing:
            raise SystemExit(f"error: modules not installed in {args.db}: {sorted(missing)}")
        try:
            expected = generate.generate(
                env,
                args.orders,
                args.seed,
                progress=progress,
                commit=True,
                paid_quotations=args.paid_quotations,
            )
        except generate.GenerationError as exc:
            raise SystemExit(f"error: {exc}") from exc
        progress.phase("analyze")
        common.analyze(env.cr, ANALYZED)
        env.cr.commit()
        status = 0
        if not args.no_check:
            progress.phase("check")
            try:
                generate.check(env, expected, out=lambda msg: print(msg, flush=True))
            except generate.CheckError as exc:
                print(f"error: {exc}", file=sys.stderr, flush=True)
                status = 1
        timings = progress.finish()
    print("timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()), flush=True)
    return status
