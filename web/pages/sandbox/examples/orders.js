// A plain object becomes a managed Order: the Guid, the Date and the map cross by value.
const order = {
  id: "382c74c3-721d-4f34-80e5-57657b6cbc27",
  placed: new Date("2020-08-12T09:00:00Z"),
  items: { apples: 3, pears: 2 },
};
console.log("items:", DotNet.invokeMethod("Orders", "CountItems", order));
console.log(DotNet.invokeMethod("Orders", "Repeat", order));

// A property the class marks is required.
try {
  DotNet.invokeMethod("Orders", "CountItems", { id: order.id, items: {} });
} catch (error) {
  console.warn(error.message);
}
