import { useLoaderData } from "@remix-run/react";

// Twelve static cards from a loader, no database: what any Remix page costs before it does anything of its own.
export function loader() {
  return {
    cards: Array.from({ length: 12 }, (_, i) => ({
      id: i + 1,
      title: `Card ${i + 1}`,
      body: "A short paragraph of text, the size of an expert's headline on a listing page.",
    })),
  };
}

export default function Index() {
  const { cards } = useLoaderData<typeof loader>();
  return (
    <main>
      <h1>Floor</h1>
      <ul>
        {cards.map((c) => (
          <li key={c.id}>
            <h2>{c.title}</h2>
            <p>{c.body}</p>
          </li>
        ))}
      </ul>
    </main>
  );
}
