/**
 * The public documents the demo follows, named as their readers know them, and the Blazor terms
 * its pages use, each explained in one line for readers who never wrote a Blazor component.
 */

export interface Source {
  readonly title: string;
  readonly url: string;
}

/** Blazor's documentation samples: static and instance calls, helper classes, JS modules. */
export const BLAZOR_DOCS: Source = {
  title: "Call .NET methods from JavaScript functions in ASP.NET Core Blazor",
  url: "https://learn.microsoft.com/aspnet/core/blazor/javascript-interoperability/call-dotnet-from-javascript",
};

/** The Silverlight HTML Bridge's marshaling rules, managed → JavaScript (and the by-reference wrappers). */
export const HTML_BRIDGE_TO_JS: Source = {
  title: "Returning or Passing Managed Types to JavaScript",
  url: "https://learn.microsoft.com/previous-versions/windows/silverlight/dotnet-windows-silverlight/cc645074(v=vs.95)",
};

/** The same rules, JavaScript → managed. */
export const HTML_BRIDGE_TO_MANAGED: Source = {
  title: "Passing JavaScript Objects to Managed Code",
  url: "https://learn.microsoft.com/previous-versions/windows/silverlight/dotnet-windows-silverlight/cc645079(v=vs.95)",
};

/** `[text](url)` for prose(): a link to the source, titled as the source is. */
export function linkTo(source: Source, text = source.title): string {
  return `[${text}](${source.url})`;
}

/** Blazor words a page may use, each with the one line a newcomer needs. */
export const BLAZOR_TERMS = {
  OnInitialized: "the method Blazor calls once when a component is created, before it first renders.",
  StateHasChanged: "a component's call that tells Blazor its state changed, so Blazor renders it again.",
  Action: ".NET's type for a method kept as a value (a delegate) and called later, with no result; `Action<string>` takes a string.",
  DotNetObjectReference: "wraps a .NET object so JavaScript can hold it and call its `[JSInvokable]` methods; disposing it releases the object.",
} as const;

export type BlazorTerm = keyof typeof BLAZOR_TERMS;
