#!/usr/bin/env bash
# Regenerates man/: vigil.1 and vigild.8 from the ArgumentParser definitions (swift-argument-parser's
# generate-manual plugin; it builds the package in release mode), and vigil.toml.5 from the
# hand-written man/vigil.toml.5.in followed by the annotated conf.d/*.toml examples.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build/plugins/GenerateManual/outputs
swift package plugin generate-manual --date "$(date -u +%Y-%m-%d)" >/dev/null
# An empty line in mdoc is a warning; the plugin writes one for each blank line of a discussion.
sed 's/^$/.Pp/' "$out/vigil/vigil.1" > man/vigil.1
swift package plugin generate-manual --section 8 --date "$(date -u +%Y-%m-%d)" >/dev/null
sed 's/^$/.Pp/' "$out/vigild/vigild.8" > man/vigild.8
{
    cat man/vigil.toml.5.in
    for file in conf.d/*.toml; do
        printf '.Ss %s\n.Bd -literal -offset indent\n' "$(basename "$file")"
        # roff: a backslash is written \e; a line starting with . or ' is protected by \&.
        sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/" "$file"
        printf '.Ed\n'
    done
    printf '.Sh FILES\n.Bl -tag -width Ds\n.It Pa /etc/vigil/vigil.toml\nThe administrator'"'"'s settings.\n'
    printf '.It Pa /etc/vigil/conf.d/*.toml\nDrop-ins, applied in file-name order after vigil.toml.\n.El\n'
    printf '.Sh SEE ALSO\n.Xr vigil 1 ,\n.Xr vigild 8\n'
} > man/vigil.toml.5
echo "man/vigil.1 man/vigild.8 man/vigil.toml.5"
