/**
 * "Simulate as QEMU": re-runs the scenario on another release, says what
 * that release changed, and how much of this run's transcript differs from
 * the scenario's own release.
 */
import { comparable, diffLines } from '../views/diff.ts';
import type { SimHost } from './host.ts';
import { clear, say } from './messages.ts';

export class ReleasePicker {
  private seq = 0;

  constructor(private readonly host: SimHost) {
    const select = host.querySelector<HTMLSelectElement>('[data-release]');
    select?.addEventListener('change', () => {
      host.newAction();
      const name = select.value;
      void host.run(host.scenario, host.player.position, host.querySelector('[data-release-message]'), { release: name === host.scenario.qemu ? null : name });
    });
    host.addEventListener('nsl-shown', () => this.describe());
  }

  private describe(): void {
    const { host } = this;
    const select = host.querySelector<HTMLSelectElement>('[data-release]');
    if (select) select.value = host.release;
    const info = host.releases.find((r) => r.name === host.release);
    const el = host.querySelector('[data-release-change]');
    if (el && info) el.textContent = `QEMU ${info.name}${info.recorded ? ' (recorded from a real build)' : ''}: ${info.change.replace(/`/g, '')}`;
    const note = host.querySelector('[data-release-message]');
    if (host.releaseOverride === null) {
      clear(note);
      return;
    }
    // How much the whole run differs from the scenario's own release.
    const own = host.scenario.qemu;
    const release = host.release;
    const trace = host.player.trace;
    const seq = ++this.seq;
    void host
      .engine()
      .then((e) => e.run(host.scenario, own))
      .then((r) => {
        if (seq !== this.seq || r.kind !== 'ok') return;
        const a = trace.transcript.map(comparable);
        const b = r.trace.transcript.map(comparable);
        const d = diffLines(a, b);
        say(
          note,
          'info',
          d.a.size + d.b.size === 0
            ? `Simulated as QEMU ${release}; the transcript is the same as on QEMU ${own}, the scenario's own release.`
            : `Simulated as QEMU ${release}: ${d.a.size} of ${a.length} transcript lines differ from QEMU ${own}, the scenario's own release. Turn on “Compare” to see where.`,
        );
      })
      .catch(() => undefined);
  }
}
