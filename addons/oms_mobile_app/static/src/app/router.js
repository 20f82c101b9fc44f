/* Moving between screens: the screen shown and its parameters, with a history for "Back". */
import { state } from "./state.js";

export function go(screen, params = {}, { replace = false } = {}) {
    if (!replace && state.screen !== screen) {
        state.history.push({ screen: state.screen, params: state.params });
    }
    state.screen = screen;
    state.params = params;
    state.nav++;
    window.scrollTo(0, 0);
}

export function back() {
    const previous = state.history.pop();
    if (previous) {
        state.screen = previous.screen;
        state.params = previous.params;
        state.nav++;
    }
}

/** A tab of the bottom bar: its screen, without history. */
export function tab(screen) {
    state.history = [];
    go(screen, {}, { replace: true });
}
