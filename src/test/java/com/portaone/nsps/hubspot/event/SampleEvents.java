package com.portaone.nsps.hubspot.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sample NSPS events of {@code src/test/resources/nsps/events} (copied from NSPS), as
 * bytes or as editable JSON trees.
 */
final class SampleEvents {

	static final Path DIRECTORY = Path.of("src/test/resources/nsps/events");

	static final JsonMapper JSON = JsonMapper.builder().build();

	private SampleEvents() {
	}

	/** The raw body of {@code <name>.json}, exactly as NSPS would post it. */
	static byte[] bytes(String name) {
		try {
			return Files.readAllBytes(DIRECTORY.resolve(name + ".json"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A fresh, editable copy of {@code <name>.json}. */
	static ObjectNode json(String name) {
		return (ObjectNode) JSON.readTree(bytes(name));
	}

	static byte[] toBytes(JsonNode event) {
		return JSON.writeValueAsBytes(event);
	}

	/** The object at a dotted path such as {@code pb_data.account_info}. */
	static ObjectNode object(ObjectNode root, String path) {
		ObjectNode node = root;
		for (String name : path.split("\\.")) {
			node = (ObjectNode) node.get(name);
		}
		return node;
	}

	/** Removes the field at a dotted path such as {@code pb_data.sim_info.imsi}. */
	static ObjectNode remove(ObjectNode root, String path) {
		parent(root, path).remove(lastName(path));
		return root;
	}

	/** Sets the field at a dotted path to a string. */
	static ObjectNode put(ObjectNode root, String path, String value) {
		parent(root, path).put(lastName(path), value);
		return root;
	}

	/** Sets the field at a dotted path to any JSON value, given as JSON text. */
	static ObjectNode putJson(ObjectNode root, String path, String json) {
		parent(root, path).set(lastName(path), JSON.readTree(json));
		return root;
	}

	private static ObjectNode parent(ObjectNode root, String path) {
		int dot = path.lastIndexOf('.');
		return (dot < 0) ? root : object(root, path.substring(0, dot));
	}

	private static String lastName(String path) {
		return path.substring(path.lastIndexOf('.') + 1);
	}

}
