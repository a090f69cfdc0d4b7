// A "More" button and the menu it opens (the WAI-ARIA menu button pattern): on a phone the
// conversation header keeps the room's name readable and moves its other actions here, each with
// its words beside its icon. Arrow keys, Home and End move through the items; Escape closes and gives
// the focus back to the button; Tab or a tap elsewhere closes.
import { createEffect, createSignal, createUniqueId, For, onCleanup, Show } from "solid-js";
import { Icon, type IconName } from "./Icon.tsx";
import { opensUp } from "./popup-place.ts";

export interface MenuAction {
  label: string;
  icon: IconName;
  run(): void;
  testId?: string;
}

export function ActionsMenu(props: { label: string; actions: MenuAction[]; class?: string }) {
  const [open, setOpen] = createSignal(false);
  // Opens upwards when there is no room below (a message near the bottom of the list).
  const [up, setUp] = createSignal(false);
  const id = createUniqueId();
  let root!: HTMLDivElement;
  let button!: HTMLButtonElement;
  let list: HTMLDivElement | undefined;
  const items = () => [...(list?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.focus();
  };

  createEffect(() => {
    if (!open()) return;
    setUp(false);
    queueMicrotask(() => {
      if (list && opensUp(list, root)) setUp(true);
      items()[0]?.focus();
    });
    const outside = (event: PointerEvent) => {
      if (!root.contains(event.target as Node)) close(false);
    };
    document.addEventListener("pointerdown", outside, true);
    onCleanup(() => document.removeEventListener("pointerdown", outside, true));
  });

  const onKeyDown = (event: KeyboardEvent) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) => {
      event.preventDefault();
      all[(to + all.length) % all.length]?.focus();
    };
    switch (event.key) {
      case "ArrowDown":
        return move(at + 1);
      case "ArrowUp":
        return move(at - 1);
      case "Home":
        return move(0);
      case "End":
        return move(all.length - 1);
      case "Escape":
        event.preventDefault();
        // The drawer and dialogs listen for Escape too: this one is the menu's.
        event.stopPropagation();
        return close(true);
      case "Tab":
        return close(false);
    }
  };

  return (
    <div class={`actions-menu ${props.class ?? ""}`} ref={root}>
      <button
        ref={button}
        type="button"
        class="icon-button"
        aria-haspopup="menu"
        aria-expanded={open()}
        aria-controls={open() ? id : undefined}
        aria-label={props.label}
        title={props.label}
        onClick={() => setOpen(!open())}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" && !open()) {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        <Icon name="more" />
      </button>
      <Show when={open()}>
        <div role="menu" id={id} aria-label={props.label} class="menu" classList={{ up: up() }} ref={list} onKeyDown={onKeyDown}>
          <For each={props.actions}>
            {(action) => (
              <button
                type="button"
                role="menuitem"
                tabindex="-1"
                class="menu-item"
                data-testid={action.testId}
                onClick={() => {
                  // The button gets the focus back first: a dialog the action opens returns it there.
                  close(true);
                  action.run();
                }}
              >
                <Icon name={action.icon} />
                <span>{action.label}</span>
              </button>
            )}
          </For>
        </div>
      </Show>
    </div>
  );
}
